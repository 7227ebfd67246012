/**
 * `reelay setup` against the sandbox: it creates the property group and
 * properties on each object campaigns write to, registers the HeyGen webhook
 * endpoint and prints its secret once, prints what must be created in
 * HubSpot by hand, and a second run changes nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { loadEnv, type ReelayEnv } from '../../src/config/env.js';
import { parseConfig } from '../../src/config/load.js';
import type { ReelayConfig } from '../../src/config/schema.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { runSetup } from '../../src/setup/run-setup.js';
import { hubspotApiVersions, type HubSpotApiVersion } from '../../src/hubspot/paths.js';
import { pathVersionsOf, TEST_CONFIG, testSecrets } from '../helpers/harness.js';

const PUBLIC_URL = 'https://reelay.example.com';

interface Fixture {
  sandbox: Sandbox;
  env: ReelayEnv;
  config: ReelayConfig;
  secrets: ReturnType<typeof testSecrets>;
}

let fixture: Fixture | undefined;
afterEach(async () => {
  await fixture?.sandbox.close();
  fixture = undefined;
});

/** A sandbox with no HeyGen endpoint registered yet, and the environment a user would set before their first setup. */
async function start(vars: Record<string, string | undefined> = {}, apiVersion?: HubSpotApiVersion): Promise<Fixture> {
  const secrets = testSecrets();
  // No heygenTarget: nothing is registered in HeyGen before setup runs.
  const sandbox = await startSandbox({ secrets: { hubspotAccessToken: secrets.hubspotAccessToken, hubspotClientSecret: secrets.hubspotClientSecret, heygenApiKey: secrets.heygenApiKey } });
  const env = loadEnv({
    PUBLIC_URL,
    HUBSPOT_ACCESS_TOKEN: secrets.hubspotAccessToken,
    HEYGEN_API_KEY: secrets.heygenApiKey,
    HUBSPOT_API_BASE: sandbox.hubspot.url,
    HEYGEN_API_BASE: sandbox.heygen.url,
    ...vars,
  });
  const config = parseConfig(TEST_CONFIG, {}, 'test config');
  if (apiVersion !== undefined) config.hubspot.apiVersion = apiVersion;
  fixture = { sandbox, env, config, secrets };
  return fixture;
}

async function setup(f: Fixture): Promise<{ code: number; text: string }> {
  let text = '';
  const code = await runSetup({ env: f.env, config: f.config, out: { write: (t: string) => (text += t) } });
  return { code, text };
}

async function heygenEndpoints(f: Fixture): Promise<Array<{ endpoint_id: string; url: string; events: string[] | null }>> {
  const response = await fetch(`${f.sandbox.heygen.url}/v3/webhooks/endpoints`, { headers: { 'x-api-key': f.secrets.heygenApiKey } });
  return ((await response.json()) as { data: Array<{ endpoint_id: string; url: string; events: string[] | null }> }).data;
}

describe('reelay setup', () => {
  it.each(hubspotApiVersions)('creates the group and the properties on every object campaigns write to, and registers the HeyGen endpoint (HubSpot API %s)', async (apiVersion) => {
    const f = await start({}, apiVersion);
    const { code, text } = await setup(f);

    expect(code).toBe(0);
    const registry = f.sandbox.hubspot.crm.properties;
    for (const type of ['contacts', 'deals'] as const) {
      expect(registry.getGroup(type, 'video_automation')?.label).toBe('Video Automation');
      const status = registry.get(type, 'heygen_render_status');
      expect(status?.type).toBe('enumeration');
      expect(status?.groupName).toBe('video_automation');
      expect(status?.options.map((o) => o.value)).toEqual(['PENDING', 'PROCESSING', 'COMPLETED', 'FAILED']);
      for (const name of ['heygen_video_url', 'heygen_job_id', 'heygen_render_error']) expect(registry.get(type, name)?.type).toBe('string');
    }
    // No campaign writes to companies.
    expect(registry.getGroup('companies', 'video_automation')).toBeUndefined();
    expect(text).toContain('contacts.heygen_render_status created');

    const endpoints = await heygenEndpoints(f);
    expect(endpoints).toHaveLength(1);
    expect(endpoints[0]?.url).toBe(`${PUBLIC_URL}/webhooks/heygen`);
    expect(endpoints[0]?.events).toEqual(['avatar_video.success', 'avatar_video.fail']);
    // The secret is printed once, ready to store.
    expect(text).toMatch(/^ +HEYGEN_WEBHOOK_SECRET=whsec_\S+$/m);
    expect(Object.keys(f.sandbox.hubspot.stats().apiVersions)).toEqual([apiVersion]);
  });

  it('a ticket campaign: the group and properties on tickets and on the recipient contacts it writes to, and a ticket subscription', async () => {
    const f = await start();
    f.config = parseConfig(
      `campaigns:
  - id: support-closed
    object: tickets
    trigger: { property: hs_pipeline_stage, changedTo: "4" }
    recipients: { to: contacts }
    template: tpl_bdr_intro
    variables:
      first_name: { property: firstname, from: recipient, required: true }
`,
      {},
      'test config',
    );
    const { code, text } = await setup(f);

    expect(code).toBe(0);
    const registry = f.sandbox.hubspot.crm.properties;
    for (const type of ['tickets', 'contacts'] as const) {
      expect(registry.getGroup(type, 'video_automation')?.label, type).toBe('Video Automation');
      expect(registry.get(type, 'heygen_render_status')?.options.map((o) => o.value), type).toEqual(['PENDING', 'PROCESSING', 'COMPLETED', 'FAILED']);
      for (const name of ['heygen_video_url', 'heygen_job_id', 'heygen_render_error']) expect(registry.get(type, name)?.type, `${type}.${name}`).toBe('string');
    }
    expect(registry.getGroup('deals', 'video_automation')).toBeUndefined();
    expect(text).toContain('tickets.heygen_render_status created');
    expect(text).toContain('subscription: ticket.propertyChange on property hs_pipeline_stage');
  });

  it('prints the workflow webhook for a campaign without a trigger and the subscriptions for the others', async () => {
    const f = await start();
    const { text } = await setup(f);

    expect(text).toContain('campaign renewal: workflow webhook');
    expect(text).toContain('method:  POST');
    expect(text).toContain(`URL:     ${PUBLIC_URL}/webhooks/hubspot?campaign=renewal`);
    expect(text).toMatch(/include request signature/);
    expect(text).toMatch(/include hs_object_id/);
    expect(text).toContain('subscription: contact.propertyChange on property lifecyclestage');
    expect(text).toContain('subscription: deal.propertyChange on property dealstage');
    expect(text).toContain(`target URL: ${PUBLIC_URL}/webhooks/hubspot`);
    expect(text).toContain('bdr-intro when lifecyclestage = marketingqualifiedlead');
    // Campaigns with a trigger get no workflow URL.
    expect(text).not.toContain('?campaign=bdr-intro');
  });

  it.each(hubspotApiVersions)('run twice, changes nothing the second time and prints no new secret (HubSpot API %s)', async (apiVersion) => {
    const f = await start({}, apiVersion);
    expect((await setup(f)).code).toBe(0);
    const before = f.sandbox.hubspot.stats().calls;
    const endpointsBefore = await heygenEndpoints(f);

    const second = await setup(f);

    expect(second.code).toBe(0);
    const after = f.sandbox.hubspot.stats().calls;
    expect(after['properties.create'] ?? 0).toBe(before['properties.create'] ?? 0);
    expect(after['properties.createGroup'] ?? 0).toBe(before['properties.createGroup'] ?? 0);
    expect(after['properties.update'] ?? 0).toBe(0);
    expect(await heygenEndpoints(f)).toEqual(endpointsBefore);
    expect(second.text).toContain('contacts: group video_automation already there');
    expect(second.text).toContain('deals.heygen_job_id already there');
    expect(second.text).toContain(`${PUBLIC_URL}/webhooks/heygen already registered (endpoint ${endpointsBefore[0]?.endpoint_id})`);
    expect(second.text).not.toContain('HEYGEN_WEBHOOK_SECRET=');
    for (const version of Object.keys(f.sandbox.hubspot.stats().apiVersions)) expect(pathVersionsOf(apiVersion)).toContain(version);
  });

  it('reports a property that exists with the wrong type and leaves it as it is', async () => {
    const f = await start();
    const registry = f.sandbox.hubspot.crm.properties;
    registry.create('contacts', { name: 'heygen_job_id', label: 'Job', type: 'number', fieldType: 'number', groupName: 'contactinformation' });
    const id = f.sandbox.hubspot.crm.create('contacts', { firstname: 'Ada', heygen_job_id: '42' }).id;

    const { code, text } = await setup(f);

    expect(code).toBe(1);
    expect(text).toMatch(/✗ contacts\.heygen_job_id is number, Reelay needs string: left as it is/);
    expect(text).toContain('set hubspot.properties.jobId in reelay.yaml to an unused name');
    expect(registry.get('contacts', 'heygen_job_id')?.type).toBe('number');
    expect(registry.get('contacts', 'heygen_job_id')?.groupName).toBe('contactinformation');
    expect(f.sandbox.hubspot.crm.get('contacts', id)?.properties.heygen_job_id).toBe('42');
    // Everything else is still set up.
    expect(registry.get('contacts', 'heygen_video_url')?.type).toBe('string');
    expect(registry.get('deals', 'heygen_job_id')?.type).toBe('string');
    expect(f.sandbox.hubspot.stats().calls['properties.update'] ?? 0).toBe(0);
  });

  it('reports a status property that lacks options, without adding them', async () => {
    const f = await start();
    const registry = f.sandbox.hubspot.crm.properties;
    registry.createGroup('contacts', { name: 'video_automation', label: 'Video Automation' });
    registry.create('contacts', {
      name: 'heygen_render_status',
      label: 'Status',
      type: 'enumeration',
      fieldType: 'select',
      groupName: 'video_automation',
      options: [{ label: 'Pending', value: 'PENDING' }],
    });

    const { code, text } = await setup(f);

    expect(code).toBe(1);
    expect(text).toContain('contacts.heygen_render_status lacks the option(s) PROCESSING, COMPLETED, FAILED: left as it is');
    expect(registry.get('contacts', 'heygen_render_status')?.options.map((o) => o.value)).toEqual(['PENDING']);
  });

  it('without PUBLIC_URL still creates the properties, and says what is missing for the webhook', async () => {
    const f = await start({ PUBLIC_URL: undefined });
    const { code, text } = await setup(f);

    expect(code).toBe(1);
    expect(f.sandbox.hubspot.crm.properties.get('contacts', 'heygen_video_url')?.type).toBe('string');
    expect(text).toContain('PUBLIC_URL is not set, so there is no address to register');
    expect(await heygenEndpoints(f)).toHaveLength(0);
    expect(text).toContain('URL:     <PUBLIC_URL>/webhooks/hubspot?campaign=renewal');
  });

  it('reuses an endpoint already registered for the URL', async () => {
    const f = await start();
    const created = await fetch(`${f.sandbox.heygen.url}/v3/webhooks/endpoints`, {
      method: 'POST',
      headers: { 'x-api-key': f.secrets.heygenApiKey, 'content-type': 'application/json' },
      body: JSON.stringify({ url: `${PUBLIC_URL}/webhooks/heygen`, events: ['avatar_video.success', 'avatar_video.fail'] }),
    });
    expect(created.status).toBe(200);

    const { code, text } = await setup(f);

    expect(code).toBe(0);
    expect(await heygenEndpoints(f)).toHaveLength(1);
    expect(text).toContain('already registered');
    expect(text).not.toContain('HEYGEN_WEBHOOK_SECRET=');
  });

  it('a refused HubSpot token is one line with its fix, not a stack trace', async () => {
    const f = await start({ HUBSPOT_ACCESS_TOKEN: 'pat-na1-not-the-token' });
    const { code, text } = await setup(f);

    expect(code).toBe(1);
    expect(text).toMatch(/✗ HubSpot properties could not be set up: hubspot 401/);
    expect(text).toContain('HubSpot refused HUBSPOT_ACCESS_TOKEN');
    expect(text).not.toContain('pat-na1-not-the-token');
  });
});
