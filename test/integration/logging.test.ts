/**
 * Secrets never appear in logs or error messages (SPEC "Environment").
 * A full flow at `LOG_LEVEL=debug` that also walks the error paths where a
 * careless log line would print a credential: refused signatures on both
 * webhooks, admin calls with right and wrong tokens, HeyGen 5xx answers,
 * HeyGen refusing a create (out of credit, which pauses the queue), and
 * HubSpot rejecting a write. Then no secret (nor the signing key inside the
 * `whsec_` secret) may appear in the logs, the HTTP answers, the database or
 * the CRM.
 *
 * The harness's logger has no value-scrubbing (`secrets: []`), so this checks
 * what the code logs, not what a last-resort filter hides.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.js';
import { signV3 } from '../helpers/signing.js';
import { ensureCrmProperties } from '../../src/setup/crm-properties.js';

describe('secrets in logs', () => {
  let h: Harness;
  afterEach(async () => h?.stop());

  function secretValues(): Array<[string, string]> {
    const s = h.secrets;
    return [
      ['HUBSPOT_ACCESS_TOKEN', s.hubspotAccessToken],
      ['HUBSPOT_CLIENT_SECRET', s.hubspotClientSecret],
      ['HEYGEN_API_KEY', s.heygenApiKey],
      ['HEYGEN_WEBHOOK_SECRET', s.heygenWebhookSecret],
      ['the key inside HEYGEN_WEBHOOK_SECRET', s.heygenWebhookSecret.slice('whsec_'.length)],
      ['REELAY_ADMIN_TOKEN', s.adminToken],
    ];
  }

  function expectNoSecret(where: string, text: string): void {
    for (const [name, value] of secretValues()) expect(text.includes(value), `${name} appears in ${where}`).toBe(false);
  }

  async function databaseDump(): Promise<string> {
    const db = h.service.store.db;
    const tables = await Promise.all([
      db.selectFrom('events').selectAll().execute(),
      db.selectFrom('renders').selectAll().execute(),
      db.selectFrom('render_timeline').selectAll().execute(),
      db.selectFrom('outbox').selectAll().execute(),
      db.selectFrom('meta').selectAll().execute(),
    ]);
    return JSON.stringify(tables);
  }

  it('a debug-level run through success and error paths logs no secret', async () => {
    // Properties exist on contacts only, so a write to a deal is rejected by HubSpot.
    h = await startHarness({ logLevel: 'debug', setup: false });
    await ensureCrmProperties(h.service.ctx.hubspot, { ...h.config, campaigns: h.config.campaigns.filter((c) => c.object === 'contacts') }, { create: true });
    const crm = h.sandbox.hubspot.crm;
    const base = h.env.publicUrl as string;
    const answers: string[] = [];
    const keep = async (response: Response) => {
      answers.push(`${response.status} ${await response.text()}`);
      return response.status;
    };

    // Refused signatures on both webhooks.
    const refusedBody = JSON.stringify({ hs_object_id: 1 });
    expect(await keep(await h.postHubSpot(null, { raw: refusedBody, query: '?campaign=bdr-intro', headers: signV3('wrong', 'POST', `${base}/webhooks/hubspot?campaign=bdr-intro`, refusedBody, Date.now()) }))).toBe(401);
    expect(await keep(await fetch(`${base}/webhooks/heygen`, { method: 'POST', headers: { 'content-type': 'application/json', 'webhook-id': 'm1', 'webhook-timestamp': String(Math.floor(Date.now() / 1000)), 'webhook-signature': 'v1,AAAA' }, body: '{"event_type":"avatar_video.success","event_data":{"video_id":"x"}}' }))).toBe(401);

    // A render that meets HeyGen 5xx answers first, then completes.
    h.sandbox.heygen.control.setFaults({ errorRate: 1 });
    const ada = crm.create('contacts', { firstname: 'Ada', company: 'Logs Inc' }).id;
    expect(await keep(await h.postHubSpot({ hs_object_id: Number(ada) }, { query: '?campaign=bdr-intro' }))).toBe(200);
    await h.waitFor(async () => h.sandbox.heygen.stats().errorsInjected > 0, 20_000, 'HeyGen to answer 5xx');
    h.sandbox.heygen.control.clearFaults();
    await h.waitFor(async () => crm.get('contacts', ada)?.properties.heygen_render_status === 'COMPLETED', 30_000, 'Ada to show COMPLETED');

    // HubSpot rejects the write-back to a deal (its properties do not exist).
    const buyer = crm.create('contacts', { firstname: 'Grace', company: 'Navy Labs' }).id;
    const deal = crm.create('deals', { dealname: 'Navy Labs - Scale', dealstage: 'closedwon' }).id;
    crm.associate('deals', deal, 'contacts', buyer, { primary: true });
    expect(await keep(await h.postHubSpot({ hs_object_id: Number(deal), dealstage: 'closedwon' }, { query: '?campaign=onboarding' }))).toBe(200);
    await h.waitFor(async () => h.logs().includes('CRM write dropped'), 30_000, 'the rejected deal write to be logged');

    // HeyGen refuses a create for lack of credit: the queue pauses with an alert.
    h.sandbox.heygen.control.setLimits({ credits: 0 });
    const broke = crm.create('contacts', { firstname: 'Bo', company: 'Broke Ltd' }).id;
    expect(await keep(await h.postHubSpot({ hs_object_id: Number(broke) }, { query: '?campaign=bdr-intro' }))).toBe(200);
    await h.waitFor(async () => h.logs().includes('heygen queue paused'), 30_000, 'the out-of-credit pause to be logged');

    // The admin API, with the right token and a wrong one.
    const admin = (token: string) => fetch(`${base}/api/renders`, { headers: { authorization: `Bearer ${token}` } });
    expect(await keep(await admin(h.secrets.adminToken))).toBe(200);
    expect(await keep(await admin('not-the-token'))).toBe(401);
    expect(await keep(await fetch(`${base}/metrics`))).toBe(200);

    const logs = h.logs();
    expect(logs).toMatch(/"level":50/); // errors were logged, so the check below means something
    expectNoSecret('the logs', logs);
    expectNoSecret('the HTTP answers', answers.join('\n'));
    expectNoSecret('the database', await databaseDump());
    expectNoSecret('the CRM', JSON.stringify([...crm.list('contacts'), ...crm.list('deals')]));
  });
});
