/**
 * `reelay doctor` against the sandbox and a running service: all green when
 * everything is in place, and each misconfiguration caught with its own
 * red line and fix, and exit code 1.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ReelayEnv } from '../../src/config/env.js';
import type { ReelayConfig } from '../../src/config/schema.js';
import { runDoctor } from '../../src/doctor/run-doctor.js';
import { checkHubSpotAccess } from '../../src/doctor/hubspot-checks.js';
import { createHubSpotClient } from '../../src/hubspot/client.js';
import { openStore } from '../../src/store/db.js';
import { setMeta } from '../../src/store/meta.js';
import { createTestDatabase, testDialects, type TestDatabase } from '../helpers/databases.js';
import { freePort, startHarness, type Harness } from '../helpers/harness.js';
import { startStubServer, type StubServer } from '../helpers/stub-server.js';

interface DoctorRun {
  code: number;
  text: string;
  /** The red lines, each with the fix under it. */
  failures: string[];
}

async function doctor(env: ReelayEnv, config: ReelayConfig, isTTY = false): Promise<DoctorRun> {
  let text = '';
  const code = await runDoctor({ env, config, out: { write: (t: string) => (text += t), isTTY } });
  const lines = text.split('\n');
  const failures = lines.flatMap((line, i) => (line.includes('✗') ? [`${line.trim()}\n${(lines[i + 1] ?? '').trim()}`] : []));
  return { code, text, failures };
}

const clone = (config: ReelayConfig): ReelayConfig => structuredClone(config);

let h: Harness | undefined;
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await h?.stop();
  h = undefined;
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe.each(await testDialects())('reelay doctor on %s', (dialect) => {
  it('is all green with exit 0 when everything is set up', async () => {
    h = await startHarness({ dialect });
    const run = await doctor(h.env, h.config);

    expect(run.failures).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.text).toContain('✓ token can read contacts');
    expect(run.text).toContain('✓ token can read companies'); // renewal reads usage_hours from the company
    expect(run.text).toMatch(/✓ token can write deals \(probed with an empty update of record 0/);
    expect(run.text).toContain('✓ properties on contacts: heygen_render_status, heygen_video_url, heygen_job_id, heygen_render_error, heygen_video_plays, heygen_video_watch_percent, heygen_video_last_played, heygen_video_cta_clicks, heygen_video_thumbnail_url, with the right types');
    expect(run.text).toContain('✓ campaign bdr-intro: template tpl_bdr_intro fits (3 text variable(s) mapped)');
    expect(run.text).toContain(`✓ HeyGen sends render events to ${h.env.publicUrl}/webhooks/heygen`);
    expect(run.text).toContain('is reachable and migrated');
    expect(run.text).toContain('✓ HubSpot queue is running');
    expect(run.text).toContain(`✓ ${h.env.publicUrl}/healthz answers`);
    expect(run.text).toMatch(/all \d+ checks passed/);
    // The write probe wrote nothing.
    expect(h.sandbox.hubspot.stats().writes.total).toBe(0);
  });

  it('catches a database that is not migrated', async () => {
    h = await startHarness({ dialect });
    const fresh = await createTestDatabase(dialect);
    cleanups.push(() => fresh.drop());
    if (dialect === 'sqlite') await openStore(fresh.url).close(); // the file exists, with no tables

    const run = await doctor({ ...h.env, databaseUrl: fresh.url, database: databaseTarget(fresh) }, h.config);

    expect(run.code).toBe(1);
    expect(run.failures).toEqual([expect.stringMatching(/✗ database \S+ is not migrated\nfix: run `reelay migrate`/)]);
  });
});

function databaseTarget(db: TestDatabase): ReelayEnv['database'] {
  return db.dialect === 'sqlite' ? { dialect: 'sqlite', path: db.url.slice('sqlite:'.length) } : { dialect: 'postgres', url: db.url };
}

describe('reelay doctor catches each misconfiguration with its own message', () => {
  it('a bad HubSpot token', async () => {
    h = await startHarness();
    const run = await doctor({ ...h.env, hubspotAccessToken: 'pat-na1-wrong-token' }, h.config);

    expect(run.code).toBe(1);
    expect(run.failures).toEqual([expect.stringMatching(/^✗ HubSpot refused the token: hubspot 401 .*\nfix: HubSpot refused HUBSPOT_ACCESS_TOKEN/)]);
    expect(run.text).not.toContain('pat-na1-wrong-token');
  });

  it('a missing property', async () => {
    h = await startHarness();
    const config = clone(h.config);
    config.hubspot.properties.jobId = 'heygen_job_ref';
    const run = await doctor(h.env, config);

    expect(run.code).toBe(1);
    expect(run.failures).toEqual([
      expect.stringMatching(/✗ property contacts\.heygen_job_ref is missing\nfix: run `reelay setup`/),
      expect.stringMatching(/✗ property deals\.heygen_job_ref is missing/),
    ]);
  });

  it('a property with the wrong type', async () => {
    h = await startHarness();
    h.sandbox.hubspot.crm.properties.create('contacts', { name: 'heygen_video_link', label: 'Link', type: 'number', fieldType: 'number', groupName: 'contactinformation' });
    h.sandbox.hubspot.crm.properties.create('deals', { name: 'heygen_video_link', label: 'Link', type: 'string', fieldType: 'text', groupName: 'dealinformation' });
    const config = clone(h.config);
    config.hubspot.properties.url = 'heygen_video_link';
    const run = await doctor(h.env, config);

    expect(run.code).toBe(1);
    expect(run.failures).toEqual([
      expect.stringMatching(/✗ property contacts\.heygen_video_link is number, Reelay needs string\nfix: point hubspot\.properties\.url in reelay\.yaml at a new name/),
    ]);
  });

  it('a status property without all its options', async () => {
    h = await startHarness();
    h.sandbox.hubspot.crm.properties.update('deals', 'heygen_render_status', { options: [{ label: 'Pending', value: 'PENDING' }, { label: 'Completed', value: 'COMPLETED' }] });
    const run = await doctor(h.env, h.config);

    expect(run.failures).toEqual([expect.stringMatching(/✗ property deals\.heygen_render_status lacks the option\(s\) PROCESSING, FAILED/)]);
  });

  it('a template variable the campaign does not map (missing)', async () => {
    h = await startHarness();
    const template = h.sandbox.heygen.control.templates().find((t) => t.id === 'tpl_bdr_intro');
    h.sandbox.heygen.control.putTemplate({ ...template!, variables: { ...template!.variables, job_title: { type: 'text', default: '{{job_title}}' } } });
    const run = await doctor(h.env, h.config);

    expect(run.code).toBe(1);
    expect(run.failures).toEqual([
      expect.stringMatching(/✗ campaign bdr-intro: template tpl_bdr_intro's text variable job_title is not mapped .*\nfix: add campaigns\[0\]\.variables\.job_title/),
    ]);
  });

  it('a mapped variable the template does not have (unknown)', async () => {
    h = await startHarness();
    h.sandbox.heygen.control.putTemplate({
      id: 'tpl_bdr_intro',
      name: 'BDR intro',
      variables: { first_name: { type: 'text' }, company_name: { type: 'text' } },
    });
    const run = await doctor(h.env, h.config);

    expect(run.failures).toEqual([
      expect.stringMatching(
        /✗ campaign bdr-intro: variable conversion_event is not in template tpl_bdr_intro\nfix: rename or remove campaigns\[0\]\.variables\.conversion_event \(the template's variables: company_name, first_name\)/,
      ),
    ]);
  });

  it('a mapped variable that is not text (wrong type)', async () => {
    h = await startHarness();
    h.sandbox.heygen.control.putTemplate({
      id: 'tpl_onboarding',
      name: 'Onboarding',
      variables: { first_name: { type: 'text' }, company_name: { type: 'text' }, package_name: { type: 'image' }, logo: { type: 'image' } },
    });
    const run = await doctor(h.env, h.config);

    // The unmapped image (logo) keeps the template's own media: not a problem.
    expect(run.failures).toEqual([
      expect.stringMatching(/✗ campaign onboarding: template tpl_onboarding's variable package_name is image, and Reelay fills text only\nfix: remove campaigns\[1\]\.variables\.package_name/),
    ]);
  });

  it('a variant whose template HeyGen does not have, and a variant whose own variables do not fit its template', async () => {
    h = await startHarness();
    const config = clone(h.config);
    const campaign = config.campaigns[0];
    if (!campaign) throw new Error('no campaign');
    campaign.variants = [
      { id: 'de', when: [{ property: 'hs_language', equals: 'de' }], template: 'tpl_bdr_intro_de' },
      { id: 'fr', when: [{ property: 'hs_language', equals: 'fr' }], template: 'tpl_bdr_intro_fr' },
      { id: 'es', when: [{ property: 'hs_language', equals: 'es' }], template: 'tpl_bdr_intro_es', variables: { first_name: { property: 'firstname', required: true, type: 'text' } } },
    ];
    const run = await doctor(h.env, config);

    expect(run.code).toBe(1);
    expect(run.text).toMatch(/✓ campaign bdr-intro variant de: template tpl_bdr_intro_de fits \(3 text variable\(s\) mapped\)/);
    expect(run.failures).toEqual([
      expect.stringMatching(/✗ campaign bdr-intro variant fr: template tpl_bdr_intro_fr not found in HeyGen\nfix: check campaigns\[0\]\.variants\[1\]\.template/),
      expect.stringMatching(/✗ campaign bdr-intro variant es: template tpl_bdr_intro_es's text variable company_name is not mapped .*\nfix: add campaigns\[0\]\.variants\[2\]\.variables\.company_name/),
      expect.stringMatching(/✗ campaign bdr-intro variant es: template tpl_bdr_intro_es's text variable conversion_event is not mapped .*\nfix: add campaigns\[0\]\.variants\[2\]\.variables\.conversion_event/),
    ]);
  });

  it('heygen.link: share: says renders ask for a public share page, and fails a campaign that turns sharing off', async () => {
    h = await startHarness();
    const config = clone(h.config);
    config.heygen.link = 'share';
    const shared = await doctor(h.env, config);
    expect(shared.failures).toEqual([]);
    expect(shared.text).toMatch(/✓ heygen\.link: share: the CRM gets HeyGen's public share page; renders ask for enable_sharing/);

    config.campaigns[0]!.heygen.enableSharing = false;
    const closed = await doctor(h.env, config);
    expect(closed.failures).toEqual([
      expect.stringMatching(/✗ campaign bdr-intro: heygen\.link: share writes HeyGen's share page to the CRM, but heygen\.enableSharing: false keeps that page private.*\nfix: remove campaigns\[0\]\.heygen\.enableSharing/),
    ]);
  });

  it('a template that does not exist', async () => {
    h = await startHarness();
    const config = clone(h.config);
    config.campaigns[2]!.template = 'tpl_gone';
    const run = await doctor(h.env, config);

    expect(run.failures).toEqual([expect.stringMatching(/✗ campaign renewal: template tpl_gone not found in HeyGen\nfix: check campaigns\[2\]\.template/)]);
  });

  it('an unregistered HeyGen webhook endpoint', async () => {
    h = await startHarness();
    const endpointId = h.sandbox.heygen.webhook?.endpointId;
    const removed = await fetch(`${h.sandbox.heygen.url}/v3/webhooks/endpoints/${endpointId}`, { method: 'DELETE', headers: { 'x-api-key': h.secrets.heygenApiKey } });
    expect(removed.status).toBe(200);
    const run = await doctor(h.env, h.config);

    expect(run.code).toBe(1);
    expect(run.failures).toEqual([
      expect.stringMatching(new RegExp(`✗ no HeyGen webhook endpoint is registered for ${h.env.publicUrl}/webhooks/heygen\\nfix: run \`reelay setup\``)),
    ]);
  });

  it('webhook secrets that are not set', async () => {
    h = await startHarness();
    const run = await doctor({ ...h.env, hubspotClientSecret: undefined, heygenWebhookSecret: undefined }, h.config);

    expect(run.failures).toEqual([
      expect.stringMatching(/✗ HUBSPOT_CLIENT_SECRET is not set: every HubSpot webhook would be refused/),
      expect.stringMatching(/✗ HEYGEN_WEBHOOK_SECRET is not set.*\nfix: run `reelay setup` and store the secret it prints/),
    ]);
  });

  it('a database file that does not exist, without creating it', async () => {
    h = await startHarness();
    const path = `${h.database.url.slice('sqlite:'.length)}-missing.db`;
    const run = await doctor({ ...h.env, databaseUrl: `sqlite:${path}`, database: { dialect: 'sqlite', path } }, h.config);

    expect(run.failures).toEqual([expect.stringMatching(/✗ database sqlite:\S+-missing\.db does not exist\nfix: run `reelay migrate`/)]);
    expect((await import('node:fs')).existsSync(path)).toBe(false);
  });

  it('a database that does not answer', async () => {
    h = await startHarness();
    const url = `postgres://reelay:s3cret-pw@127.0.0.1:${await freePort()}/reelay`;
    const run = await doctor({ ...h.env, databaseUrl: url, database: { dialect: 'postgres', url } }, h.config);

    expect(run.failures).toEqual([expect.stringMatching(/✗ database postgres:\/\/127\.0\.0\.1:\d+\/reelay is unreachable: .*\nfix: check DATABASE_URL/)]);
    expect(run.text).not.toContain('s3cret-pw');
  });

  it('a PUBLIC_URL that does not answer', async () => {
    h = await startHarness();
    const elsewhere = `http://127.0.0.1:${await freePort()}`;
    const run = await doctor({ ...h.env, publicUrl: elsewhere }, h.config);

    expect(run.code).toBe(1);
    expect(run.text).toContain(`✗ ${elsewhere}/healthz does not answer`);
    // The HeyGen endpoint is registered for the real address, not this one.
    expect(run.text).toContain(`✗ no HeyGen webhook endpoint is registered for ${elsewhere}/webhooks/heygen (registered instead: ${h.env.publicUrl}/webhooks/heygen)`);
  });

  it('a paused queue, with its reason', async () => {
    h = await startHarness();
    const since = Date.UTC(2026, 0, 2, 3, 4, 5);
    await setMeta(h.service.store, 'pause:heygen', JSON.stringify({ code: 'insufficient_credit', reason: 'HeyGen says the account has no credit left', since }), since);
    const run = await doctor(h.env, h.config);

    expect(run.code).toBe(1);
    expect(run.failures).toEqual([
      expect.stringMatching(/✗ HeyGen queue is paused since 2026-01-02T03:04:05\.000Z: HeyGen says the account has no credit left \(insufficient_credit\)\nfix: fix the cause/),
    ]);
    expect(run.text).toContain('✓ HubSpot queue is running');
  });

  it('missing credentials are red lines, not a crash', async () => {
    h = await startHarness();
    const run = await doctor({ ...h.env, hubspotAccessToken: undefined, heygenApiKey: undefined }, h.config);

    expect(run.code).toBe(1);
    expect(run.text).toContain('✗ HUBSPOT_ACCESS_TOKEN is not set');
    expect(run.text).toContain('✗ HEYGEN_API_KEY is not set');
    expect(run.text).toContain('is reachable and migrated');
  });

  it('colours only on a terminal', async () => {
    h = await startHarness();
    const plain = await doctor(h.env, h.config, false);
    const tty = await doctor(h.env, h.config, true);

    expect(plain.text).not.toContain('\u001b[');
    expect(tty.text).toContain('\u001b[32m✓\u001b[0m');
  });
});

describe('doctor scope probes', () => {
  let stub: StubServer | undefined;
  afterEach(async () => stub?.close());

  it('names the scope a 403 says is missing, for reads and for writes', async () => {
    stub = await startStubServer();
    const missingScope = (scope: string) => ({
      status: 403,
      body: { status: 'error', message: `This app hasn't been granted all required scopes to make this call. Required: ${scope}`, category: 'MISSING_SCOPES' },
    });
    stub.fallback('GET', '/crm/v3/objects/contacts', { status: 200, body: { results: [] } });
    stub.fallback('GET', '/crm/v3/objects/deals', missingScope('crm.objects.deals.read'));
    stub.fallback('POST', '/crm/v3/objects/contacts/batch/update', missingScope('crm.objects.contacts.write'));
    stub.fallback('POST', '/crm/v3/objects/deals/batch/update', {
      status: 207,
      body: { status: 'COMPLETE', results: [], numErrors: 1, errors: [{ status: 'error', category: 'OBJECT_NOT_FOUND', message: 'not found', context: { ids: ['0'] } }] },
    });
    const client = createHubSpotClient({ baseUrl: stub.url, accessToken: 'pat-na1-token', timeoutMs: 2_000 });
    const { parseConfig } = await import('../../src/config/load.js');
    const config = parseConfig(
      `campaigns:
  - { id: a, object: contacts, template: t1, variables: { x: { property: firstname } } }
  - { id: b, object: deals, template: t2, variables: { y: { property: dealname } } }`,
      {},
      'test',
    );

    const access = await checkHubSpotAccess(client, config);

    expect(access.usable).toBe(true);
    expect(access.outcomes).toEqual([
      { ok: true, text: 'token can read contacts' },
      { ok: false, text: expect.stringMatching(/^token cannot read deals: hubspot 403/), fix: expect.stringContaining('grant crm.objects.deals.read') },
      { ok: false, text: expect.stringMatching(/^token cannot write contacts: hubspot 403/), fix: expect.stringContaining('grant crm.objects.contacts.write') },
      { ok: true, text: expect.stringMatching(/^token can write deals/) },
    ]);
    // The write probe asks for record 0 with no properties.
    expect(stub.requestsTo('POST', '/crm/v3/objects/deals/batch/update')[0]?.body).toEqual({ inputs: [{ id: '0', properties: {} }] });
  });
});

describe('doctor names the HubSpot credential, its missing scopes and what goes unsupported when', () => {
  it("a project app's static token with every scope the campaigns need: green", async () => {
    h = await startHarness();
    const run = await doctor(h.env, h.config);

    expect(run.failures).toEqual([]);
    expect(run.text).toContain("✓ the token is a privately distributed app's access token of app 1160452 in portal 62515 (a project app's static token)");
    expect(run.text).toContain('✓ token has the 9 scope(s) the campaigns need');
    expect(run.text).not.toContain(h.env.hubspotAccessToken);
  });

  it('a legacy private app: a warning with the dates, exit 0', async () => {
    h = await startHarness();
    h.sandbox.hubspot.control.setTokenInfo({ kind: 'legacy-private-app' });
    const run = await doctor(h.env, h.config);

    expect(run.code).toBe(0);
    expect(run.text).toMatch(
      /! the token is a legacy private app's access token of app 1160452 in portal 62515: legacy private apps can no longer be created \(since 2026-10-26\); existing ones keep working until September 2027\n\s+advice: move to a project app before then: `reelay setup --hubspot-project DIR`/,
    );
    expect(run.text).toContain('✓ token has the 9 scope(s) the campaigns need');
    expect(run.text).toMatch(/all \d+ checks passed \(\d+ warning\(s\): see advice\)/);
  });

  it('a service key without a scope: the kind, the missing scope by name and where to add it, exit 1', async () => {
    h = await startHarness();
    h.sandbox.hubspot.control.setTokenInfo({
      kind: 'service-key',
      scopes: ['crm.objects.contacts.read', 'crm.objects.contacts.write', 'crm.objects.deals.read', 'crm.objects.companies.read', 'crm.schemas.contacts.read', 'crm.schemas.contacts.write', 'crm.schemas.deals.read'],
    });
    const run = await doctor(h.env, h.config);

    expect(run.code).toBe(1);
    expect(run.text).toContain('! the token is a service key in portal 62515: service keys call the API but receive no webhooks');
    expect(run.failures).toEqual([
      expect.stringMatching(
        /^✗ token lacks 2 scope\(s\) the campaigns need: crm\.objects\.deals\.write, crm\.schemas\.deals\.write\nfix: add them to the service key \(Development → Keys → Service keys/,
      ),
    ]);
  });

  it('a ticket campaign: the scope `tickets` by name when the token lacks it; green with the sandbox default grant', async () => {
    const { parseConfig } = await import('../../src/config/load.js');
    const tickets = `campaigns:
  - id: support
    object: tickets
    trigger: { property: hs_pipeline_stage, changedTo: "4" }
    recipients: { to: contacts }
    template: tpl_bdr_intro
    variables:
      first_name: { property: firstname, from: recipient, required: true }
      company_name: { property: subject, from: ticket }
      conversion_event: { property: subject, from: ticket }
`;
    h = await startHarness({ config: tickets });
    const green = await doctor(h.env, parseConfig(tickets, {}, 'tickets'));
    expect(green.failures).toEqual([]);
    expect(green.text).toContain('✓ token can read tickets');
    expect(green.text).toContain('✓ token has the 7 scope(s) the campaigns need');

    h.sandbox.hubspot.control.setTokenInfo({
      kind: 'static',
      scopes: ['oauth', 'crm.objects.contacts.read', 'crm.objects.contacts.write', 'crm.schemas.contacts.read', 'crm.schemas.contacts.write', 'crm.schemas.tickets.read', 'crm.schemas.tickets.write'],
    });
    const run = await doctor(h.env, parseConfig(tickets, {}, 'tickets'));
    expect(run.code).toBe(1);
    expect(run.failures).toEqual([expect.stringMatching(/^✗ token lacks 1 scope\(s\) the campaigns need: tickets\n/)]);
  });

  it('numbered API paths: a warning with both end-of-support dates; the date-based paths: green', async () => {
    h = await startHarness();
    const numbered = clone(h.config);
    (numbered.hubspot as { apiVersion?: string }).apiVersion = 'v3';
    const dated = clone(h.config);
    (dated.hubspot as { apiVersion?: string }).apiVersion = '2026-03';

    const old = await doctor(h.env, numbered);
    const current = await doctor(h.env, dated);

    expect(old.code).toBe(0);
    expect(old.text).toContain("! CRM calls use HubSpot's numbered paths: /crm/v3 goes unsupported in September 2027, the /crm/v4 associations on 2027-03-30");
    expect(old.text).toContain('advice: set hubspot.apiVersion: "2026-03"');
    expect(current.text).toContain("✓ CRM calls use HubSpot's date-based 2026-03 paths");
  });

  it('webhook intake needs an https PUBLIC_URL: red with the fix elsewhere, a warning on this machine', async () => {
    h = await startHarness();
    const remote = await doctor({ ...h.env, publicUrl: 'http://reelay.example.com' }, h.config);
    const local = await doctor(h.env, h.config);

    expect(remote.failures).toContainEqual(
      expect.stringMatching(/^✗ PUBLIC_URL http:\/\/reelay\.example\.com is not https: HubSpot delivers webhooks only to https URLs\nfix: serve Reelay behind HTTPS/),
    );
    expect(local.text).toMatch(/! PUBLIC_URL http:\/\/127\.0\.0\.1:\d+ is plain http on this machine/);
    expect(local.failures).toEqual([]);
  });

  it('journal intake: its own section, and no https check for webhooks', async () => {
    h = await startHarness();
    const journal = clone(h.config);
    (journal.hubspot as { intake?: string }).intake = 'journal';
    const run = await doctor({ ...h.env, publicUrl: 'http://reelay.example.com' }, journal);

    expect(run.text).toContain('HubSpot intake (Webhooks Journal)');
    expect(run.text).not.toContain('is not https');
  });
});

describe('doctor when HubSpot does not describe the token', () => {
  let stub: StubServer | undefined;
  afterEach(async () => stub?.close());

  const TOKEN = 'pat-na1-00000000-1111-2222-3333-444444444444';

  async function checkWith(answer: { status: number; body: unknown }) {
    stub = await startStubServer();
    stub.fallback('GET', `/oauth/v1/access-tokens/${TOKEN}`, answer);
    stub.fallback('POST', '/oauth/v2/private-apps/get/access-token-info', answer);
    const client = createHubSpotClient({ baseUrl: stub.url, accessToken: TOKEN, timeoutMs: 2_000 });
    const { parseConfig } = await import('../../src/config/load.js');
    const { checkCredential } = await import('../../src/doctor/credential-checks.js');
    const config = parseConfig('campaigns:\n  - { id: a, object: contacts, template: t1, variables: { x: { property: firstname } } }\n', {}, 'test');
    return checkCredential(client, TOKEN, config);
  }

  it('an unknown pat- token: named by its prefix, with the legacy warning; no scope verdict', async () => {
    const outcomes = await checkWith({ status: 404, body: { status: 'error', message: 'Token not found', category: 'OBJECT_NOT_FOUND' } });

    expect(outcomes).toEqual([
      {
        ok: true,
        text: "HubSpot's token endpoints do not describe the token; its pat- prefix is a private app token's: legacy private apps can no longer be created (since 2026-10-26); existing ones keep working until September 2027",
        advice: expect.stringContaining('reelay setup --hubspot-project DIR'),
      },
    ]);
    expect(stub?.requestsTo('POST', '/oauth/v2/private-apps/get/access-token-info')[0]?.body).toEqual({ tokenKey: TOKEN });
  });

  it('a failing token endpoint is a warning, and the token is not in it', async () => {
    const outcomes = await checkWith({ status: 500, body: { status: 'error', message: 'internal error', category: 'INTERNAL_ERROR' } });

    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]).toMatchObject({ ok: true, text: expect.stringMatching(/^could not ask HubSpot what the token is: hubspot 500/) });
    expect(JSON.stringify(outcomes)).not.toContain(TOKEN);
  });
});
