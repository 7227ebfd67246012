/**
 * The HubSpot developer project `setup --hubspot-project` writes, read back
 * with HubSpot's own parser (@hubspot/project-parsing-lib, offline with
 * `skipValidation`) and checked against the fields HubSpot documents.
 * HubSpot's JSON schemas are fetched from an account at validation time, so
 * the schema below is written from the docs and templates (see
 * docs/api-notes/hubspot-platform.md) and compiled with the lib's own Ajv.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ALLOWED_TOP_LEVEL_FIELDS } from '@hubspot/project-parsing-lib/constants';
import { parseProjectConfig } from '@hubspot/project-parsing-lib/projects';
import { createAjvInstance } from '@hubspot/project-parsing-lib/validation';
import { translate } from '@hubspot/project-parsing-lib/translate';
import { validateUid } from '@hubspot/project-parsing-lib/uid';
import { parseConfig } from '../../src/config/load.js';
import { APP_UID, hubspotProjectFiles, WEBHOOKS_UID } from '../../src/setup/hubspot-project.js';
import { writeHubSpotProject } from '../../src/setup/write-hubspot-project.js';
import { SEED_CAMPAIGNS } from '../helpers/harness.js';

const PUBLIC_URL = 'https://reelay.example.com';
const config = (yaml: string) => parseConfig(yaml, {}, 'test.yaml');

/** The app component's config as documented (apps/developer-platform/build-apps/app-configuration) for a private static-auth app. */
const appSchema = {
  type: 'object',
  required: ['name', 'distribution', 'auth'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 1 },
    description: { type: 'string' },
    distribution: { enum: ['private', 'marketplace'] },
    auth: {
      type: 'object',
      required: ['type', 'requiredScopes'],
      additionalProperties: false,
      properties: {
        type: { const: 'static' },
        requiredScopes: { type: 'array', items: { type: 'string', pattern: '^[a-z][a-z0-9_.-]*$' }, uniqueItems: true, minItems: 1 },
        // Static auth can define only required scopes.
        optionalScopes: { type: 'array', maxItems: 0 },
        conditionallyRequiredScopes: { type: 'array', maxItems: 0 },
        redirectUrls: { type: 'array', items: { type: 'string' } },
      },
    },
    permittedUrls: {
      type: 'object',
      additionalProperties: false,
      properties: { fetch: { type: 'array' }, iframe: { type: 'array' }, img: { type: 'array' } },
    },
    support: { type: 'object' },
  },
};

/** The webhooks component's config as documented (apps/developer-platform/add-features/configure-webhooks). */
const webhooksSchema = {
  type: 'object',
  required: ['settings', 'subscriptions'],
  additionalProperties: false,
  properties: {
    settings: {
      type: 'object',
      required: ['targetUrl', 'maxConcurrentRequests'],
      additionalProperties: false,
      properties: { targetUrl: { type: 'string', pattern: '^https://' }, maxConcurrentRequests: { type: 'integer', minimum: 1 } },
    },
    subscriptions: {
      type: 'object',
      additionalProperties: false,
      properties: {
        crmObjects: {
          type: 'array',
          items: {
            type: 'object',
            required: ['subscriptionType', 'objectType', 'active'],
            additionalProperties: false,
            properties: {
              subscriptionType: { enum: ['object.creation', 'object.deletion', 'object.merge', 'object.restore', 'object.propertyChange', 'object.associationChange'] },
              objectType: { type: 'string', pattern: '^[a-z_]+$' },
              propertyName: { type: 'string' },
              active: { type: 'boolean' },
            },
            if: { properties: { subscriptionType: { const: 'object.propertyChange' } } },
            then: { required: ['propertyName'] },
          },
        },
        legacyCrmObjects: { type: 'array' },
        hubEvents: { type: 'array' },
      },
    },
  },
};

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function writeProject(yaml: string): Promise<{ dir: string; out: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'reelay-hsproject-'));
  dirs.push(dir);
  let out = '';
  await writeHubSpotProject({ config: config(yaml), publicUrl: PUBLIC_URL, dir, out: { write: (t: string) => (out += t) } });
  return { dir, out };
}

const readJson = (dir: string, path: string): Record<string, unknown> => JSON.parse(readFileSync(join(dir, path), 'utf8')) as Record<string, unknown>;

describe('setup --hubspot-project', () => {
  it('HubSpot parser reads the app and its webhooks from the written project', async () => {
    const { dir } = await writeProject(SEED_CAMPAIGNS);

    const project = parseProjectConfig(dir);
    expect(project).toEqual({ name: 'reelay', srcDir: 'src', platformVersion: '2026.03' });

    const { intermediateRepresentation, skippedHsMetaFiles } = await translate(
      { projectSourceDir: join(dir, 'src'), platformVersion: project.platformVersion },
      { skipValidation: true },
    );
    expect(skippedHsMetaFiles).toEqual([]);
    const nodes = intermediateRepresentation.intermediateNodesIndexedByUid;
    expect(Object.keys(nodes).sort()).toEqual([APP_UID, WEBHOOKS_UID].sort());
    expect(nodes[APP_UID]?.componentType).toBe('APPLICATION');
    expect(nodes[WEBHOOKS_UID]?.componentType).toBe('WEBHOOKS');
    // The parser attaches the webhooks to the app (it needs the app component beside them).
    expect(nodes[WEBHOOKS_UID]?.componentDeps).toMatchObject({ app: APP_UID });

    const ajv = createAjvInstance();
    const validApp = ajv.compile(appSchema);
    const validWebhooks = ajv.compile(webhooksSchema);
    expect(validApp(nodes[APP_UID]?.config), JSON.stringify(validApp.errors)).toBe(true);
    expect(validWebhooks(nodes[WEBHOOKS_UID]?.config), JSON.stringify(validWebhooks.errors)).toBe(true);

    // What the parser's own validation checks before any schema: top-level fields and uids.
    for (const path of ['src/app/app-hsmeta.json', 'src/app/webhooks/webhooks-hsmeta.json']) {
      const file = readJson(dir, path);
      expect(Object.keys(file).filter((k) => !(ALLOWED_TOP_LEVEL_FIELDS as ReadonlySet<string>).has(k))).toEqual([]);
      expect(validateUid(String(file['uid']))).toBeUndefined();
    }
  });

  it('asks for the scopes the campaigns need and subscribes to each triggered object and property', async () => {
    const { dir, out } = await writeProject(SEED_CAMPAIGNS);
    const app = readJson(dir, 'src/app/app-hsmeta.json') as { config: { distribution: string; auth: { type: string; requiredScopes: string[] } } };
    expect(app.config.distribution).toBe('private');
    expect(app.config.auth.type).toBe('static');
    expect(app.config.auth.requiredScopes).toEqual([
      'oauth',
      'crm.objects.companies.read',
      'crm.objects.contacts.read',
      'crm.objects.contacts.write',
      'crm.objects.deals.read',
      'crm.objects.deals.write',
      'crm.schemas.contacts.read',
      'crm.schemas.contacts.write',
      'crm.schemas.deals.read',
      'crm.schemas.deals.write',
    ]);

    const webhooks = readJson(dir, 'src/app/webhooks/webhooks-hsmeta.json');
    expect(webhooks['config']).toEqual({
      settings: { targetUrl: 'https://reelay.example.com/webhooks/hubspot', maxConcurrentRequests: 10 },
      subscriptions: {
        crmObjects: [
          { subscriptionType: 'object.propertyChange', objectType: 'contact', propertyName: 'lifecyclestage', active: true },
          { subscriptionType: 'object.propertyChange', objectType: 'deal', propertyName: 'dealstage', active: true },
        ],
        // HubSpot's privacy deletions (privacy.honorDeletionEvents, default on): no generic form, so under hubEvents.
        hubEvents: [{ subscriptionType: 'contact.privacyDeletion', active: true }],
      },
    });
    expect(out).toContain('hs project upload');
    expect(out).toContain('HUBSPOT_ACCESS_TOKEN=');
    expect(out).toContain('HUBSPOT_CLIENT_SECRET=');
  });

  it('the same configuration gives the same bytes, whatever the order of its campaigns', () => {
    const twoOnOneProperty = (first: string, second: string) => `campaigns:
  - { id: ${first}, object: contacts, trigger: { property: lifecyclestage, equals: ${first} }, template: t, variables: { n: { property: firstname } } }
  - { id: ${second}, object: contacts, trigger: { property: lifecyclestage, equals: ${second} }, template: t, variables: { n: { property: firstname } } }
  - { id: c, object: companies, trigger: { property: a_prop, equals: x }, template: t, variables: { n: { property: name } } }
`;
    const a = hubspotProjectFiles(config(twoOnOneProperty('lead', 'customer')), PUBLIC_URL);
    const b = hubspotProjectFiles(config(twoOnOneProperty('customer', 'lead')), `${PUBLIC_URL}/`);
    expect(a).toEqual(b);
    for (const file of a) expect(file.content.endsWith('}\n')).toBe(true);
    const webhooks = JSON.parse(a.find((f) => f.path.endsWith('webhooks-hsmeta.json'))?.content ?? '{}') as { config: { subscriptions: { crmObjects: unknown[] } } };
    // Two campaigns on one property share one subscription.
    expect(webhooks.config.subscriptions.crmObjects).toEqual([
      { subscriptionType: 'object.propertyChange', objectType: 'company', propertyName: 'a_prop', active: true },
      { subscriptionType: 'object.propertyChange', objectType: 'contact', propertyName: 'lifecyclestage', active: true },
    ]);
  });

  it('a ticket campaign subscribes to the ticket property and asks for the scope `tickets`', () => {
    const files = hubspotProjectFiles(
      config(`campaigns:
  - { id: support, object: tickets, trigger: { property: hs_pipeline_stage, changedTo: "4" }, recipients: { to: contacts }, writeback: both, template: t, variables: { n: { property: firstname, from: recipient } } }
`),
      PUBLIC_URL,
    );
    const read = (suffix: string) => JSON.parse(files.find((f) => f.path.endsWith(suffix))?.content ?? '{}') as { config: Record<string, any> };
    expect(read('webhooks-hsmeta.json').config.subscriptions.crmObjects).toEqual([
      { subscriptionType: 'object.propertyChange', objectType: 'ticket', propertyName: 'hs_pipeline_stage', active: true },
    ]);
    const scopes = read('app-hsmeta.json').config.auth.requiredScopes as string[];
    expect(scopes).toContain('tickets');
    expect(scopes).toContain('crm.schemas.tickets.write');
    expect(scopes).toContain('crm.objects.contacts.write');
    expect(scopes.filter((s) => s.startsWith('crm.objects.tickets'))).toEqual([]);
  });

  it('writes no webhooks component when no campaign has a trigger and privacy deletions are not honoured', () => {
    const files = hubspotProjectFiles(
      config(`privacy: { honorDeletionEvents: false }\ncampaigns:\n  - { id: w, object: contacts, template: t, variables: { n: { property: firstname } } }\n`),
      PUBLIC_URL,
    );
    expect(files.map((f) => f.path)).toEqual(['hsproject.json', 'src/app/app-hsmeta.json']);
  });

  it('without triggers still subscribes to contacts\' privacy deletions (hubEvents only), by default', () => {
    const files = hubspotProjectFiles(config(`campaigns:\n  - { id: w, object: contacts, template: t, variables: { n: { property: firstname } } }\n`), PUBLIC_URL);
    const webhooks = JSON.parse(files.find((f) => f.path.endsWith('webhooks-hsmeta.json'))?.content ?? '{}') as { config: { subscriptions: unknown } };
    expect(webhooks.config.subscriptions).toEqual({ crmObjects: [], hubEvents: [{ subscriptionType: 'contact.privacyDeletion', active: true }] });
  });
});
