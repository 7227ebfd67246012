/**
 * `hubspot.intake: journal`: Reelay pulls HubSpot events from the Webhooks
 * Journal instead of receiving webhooks, and (with HeyGen polled) runs with
 * no inbound traffic at all. Real HTTP against the sandbox, on SQLite and
 * PostgreSQL. What is asserted is what users see: videos in the CRM, one
 * billed render per record, one alert, one loud warning.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ReelayConfig } from '../../src/config/schema.js';
import { systemClock } from '../../src/core/clock.js';
import { ensureJournalSubscriptions, journalPortalId } from '../../src/setup/journal-subscriptions.js';
import { journalClientFor } from '../../src/setup/journal-client-for.js';
import { testDialects } from '../helpers/databases.js';
import { pathVersionsOf, startHarness, type Harness } from '../helpers/harness.js';
import { hubspotApiVersions } from '../../src/hubspot/paths.js';

function journalMode(config: ReelayConfig): void {
  config.hubspot.intake = 'journal';
  config.hubspot.journal.pollEvery = 100;
  // No public address: HeyGen's share page goes into the CRM instead of /v/ links.
  config.heygen.link = 'share';
  config.worker.pauseProbeEvery = 200;
}

/** Tokens granted to the setup runs below (not to the service). */
let setupGrants = 0;

/** What `reelay setup` does for the journal. */
async function setupJournal(h: Harness) {
  const { journal, token } = journalClientFor(h.env, h.config, { clock: systemClock });
  const portalId = await journalPortalId(h.config, () => h.service.ctx.hubspot.accountDetails());
  const checks = await ensureJournalSubscriptions(journal, h.config, portalId, { create: true });
  setupGrants += token.grants;
  return checks;
}

async function metric(h: Harness, name: string): Promise<string> {
  return (await h.service.metrics.registry.metrics()).split('\n').filter((l) => l.startsWith(name)).join('\n');
}

describe.each(await testDialects())('journal intake on %s', (dialect) => {
  let h: Harness;
  afterEach(async () => {
    setupGrants = 0;
    await h?.stop();
  });

  it.each(hubspotApiVersions)('with no inbound traffic at all, a lead and a deal become videos in the CRM, each billed once (HubSpot API %s)', async (apiVersion) => {
    h = await startHarness({ dialect, apiVersion, inbound: false, tweak: journalMode });
    const crm = h.sandbox.hubspot.crm;
    const first = await setupJournal(h);
    expect(first.map((c) => c.status)).toEqual(['created', 'created']);
    expect(h.sandbox.hubspot.journal.subscriptions()).toEqual([
      expect.objectContaining({ objectTypeId: '0-1', actions: ['CREATE', 'GDPR_DELETE', 'UPDATE'], properties: ['lifecyclestage'], objectIds: [] }),
      expect.objectContaining({ objectTypeId: '0-3', actions: ['CREATE', 'UPDATE'], properties: ['dealstage'], objectIds: [] }),
    ]);
    // Setup again: nothing new is created or changed.
    const writes = h.sandbox.hubspot.journal.counters().subscriptionWrites;
    expect((await setupJournal(h)).map((c) => c.status)).toEqual(['exists', 'exists']);
    expect(h.sandbox.hubspot.journal.counters().subscriptionWrites).toBe(writes);

    const lead = crm.create('contacts', { firstname: 'Ada', company: 'Analytical Engines', lifecyclestage: 'lead' }).id;
    const contact = crm.create('contacts', { firstname: 'Grace', company: 'Navy Labs' }).id;
    const deal = crm.create('deals', { dealname: 'Navy Labs - Scale', dealstage: 'contractsent', package_name: 'Scale' }).id;
    crm.associate('deals', deal, 'contacts', contact, { primary: true });
    crm.update('contacts', lead, { lifecyclestage: 'marketingqualifiedlead' });
    crm.update('deals', deal, { dealstage: 'closedwon' });

    for (const [type, id] of [['contacts', lead], ['deals', deal]] as const) {
      const props = await h.waitFor(async () => {
        const p = crm.get(type, id)?.properties;
        return p?.heygen_render_status === 'COMPLETED' ? p : undefined;
      }, 30_000, `${type}/${id} to show COMPLETED`);
      expect(props.heygen_video_url).toMatch(/^http/);
      expect(props.heygen_video_url).not.toContain('/v/');
    }
    await h.settled();
    const billed = h.sandbox.heygen.ledger().filter((e) => e.billed);
    expect(billed.map((e) => e.variables.first_name).sort()).toEqual(['Ada', 'Grace']);

    // Nothing came in: no HubSpot webhook, no HeyGen callback reached Reelay.
    expect(h.sandbox.hubspot.webhooks.log()).toEqual([]);
    expect(await metric(h, 'reelay_events_received_total{source="heygen"')).toBe('');
    // The pre-signed files were fetched, never with an Authorization header.
    const counters = h.sandbox.hubspot.journal.counters();
    expect(counters.fileDownloads).toBeGreaterThan(0);
    expect(counters.fileDownloadsWithAuthorization).toBe(0);
    // One token served every poll (cached until it nears expiry).
    expect(counters.tokensIssued - setupGrants).toBe(1);
    expect(await metric(h, 'reelay_journal_entries_total')).toMatch(/ [1-9]\d*$/);
    // Every CRM call (reads, associations, write-back) took this version's paths.
    for (const version of h.usedPathVersions()) expect(pathVersionsOf(apiVersion)).toContain(version);
  });

  it('a refused client-credentials grant pauses the HubSpot queue with one alert, and work resumes when it is granted again', async () => {
    h = await startHarness({ dialect, inbound: false, tweak: journalMode });
    await setupJournal(h);
    h.sandbox.hubspot.journal.configureGrant({ refuse: true });
    const crm = h.sandbox.hubspot.crm;
    const lead = crm.create('contacts', { firstname: 'Kim', company: 'Revoked Co', lifecyclestage: 'lead' }).id;
    crm.update('contacts', lead, { lifecyclestage: 'marketingqualifiedlead' });

    await h.waitFor(async () => h.logs().includes('queue paused'), 10_000, 'the queue-paused alert');
    // A render from elsewhere (a workflow webhook) is held with the rest: CRM calls that work
    // (the pause's probes) do not lift the journal's pause, so it stays one alert and one state.
    const renewal = crm.create('contacts', { firstname: 'Ren', company: 'Later Co', contract_end_date: '2027-02-01' }).id;
    expect((await h.postHubSpot({ hs_object_id: Number(renewal) }, { query: '?campaign=renewal' })).status).toBe(200);
    // Its record was read from the CRM (a probe that worked, which lifts an ordinary pause)...
    await h.waitFor(
      async () => (await h?.service.store.db.selectFrom('renders').select('state').where('campaign_id', '=', 'renewal').executeTakeFirst())?.state !== 'received',
      15_000,
      'the renewal to be read from the CRM',
    );
    const tokenRequests = h.sandbox.hubspot.journal.counters().tokenRequests;
    await h.waitFor(async () => h.sandbox.hubspot.journal.counters().tokenRequests >= tokenRequests + 3, 10_000, 'the poller to probe again');
    // ...yet the queue is still paused, with one alert.
    const alerts = h.logs().split('\n').filter((l) => l.includes('queue paused'));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatch(/HUBSPOT_CLIENT_ID/);
    expect(alerts[0]).not.toContain(h.secrets.hubspotClientSecret);
    expect(await metric(h, 'reelay_queue_paused{scope="hubspot"}')).toMatch(/ 1$/);
    expect(h.sandbox.heygen.ledger().map((e) => e.variables.first_name)).not.toContain('Kim');

    h.sandbox.hubspot.journal.configureGrant({ refuse: false });
    for (const id of [lead, renewal]) {
      await h.waitFor(async () => crm.get('contacts', id)?.properties.heygen_render_status === 'COMPLETED', 30_000, 'the renders after the grant works again');
    }
    expect(await metric(h, 'reelay_queue_paused{scope="hubspot"}')).toMatch(/ 0$/);
    expect(h.sandbox.heygen.ledger().filter((e) => e.billed).map((e) => e.variables.first_name).sort()).toEqual(['Kim', 'Ren']);
  });

  it('an expired offset restarts from the earliest entry with one loud warning naming the lost and the new offset', async () => {
    h = await startHarness({ dialect, inbound: false, tweak: journalMode });
    await setupJournal(h);
    const crm = h.sandbox.hubspot.crm;
    const first = crm.create('contacts', { firstname: 'Early', company: 'Old Co', lifecyclestage: 'lead' }).id;
    crm.update('contacts', first, { lifecyclestage: 'marketingqualifiedlead' });
    await h.waitFor(async () => crm.get('contacts', first)?.properties.heygen_render_status === 'COMPLETED', 30_000, 'the first render');
    const lost = h.sandbox.hubspot.journal.entries().at(-1)?.offset as string;

    // Reelay is behind by more than the retention: its offset is gone.
    h.sandbox.hubspot.journal.expireAll();
    const later = crm.create('contacts', { firstname: 'Later', company: 'New Co', lifecyclestage: 'lead' }).id;
    crm.update('contacts', later, { lifecyclestage: 'marketingqualifiedlead' });
    const restart = h.sandbox.hubspot.journal.entries()[0]?.offset as string;

    await h.waitFor(async () => crm.get('contacts', later)?.properties.heygen_render_status === 'COMPLETED', 30_000, 'the render after the restart');
    const warnings = h.logs().split('\n').filter((l) => l.includes('has expired'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(lost);
    expect(warnings[0]).toContain(restart);
    expect(JSON.parse(warnings[0] as string)).toMatchObject({ level: 50, lostOffset: lost, restartOffset: restart });
  });

  it('journal calls stay inside the HubSpot budget (hubspot.burst per rolling 10 s), however often the poller is asked to poll', async () => {
    h = await startHarness({
      dialect,
      inbound: false,
      tweak: (c) => {
        journalMode(c);
        c.hubspot.burst = 3;
        c.hubspot.journal.pollEvery = 5;
      },
    });
    await setupJournal(h);
    const started = Date.now();
    await new Promise((r) => setTimeout(r, 2_500));
    const reads = h.sandbox.hubspot.journal.counters().journalReads;
    // Unbudgeted, a 5 ms poll would have made hundreds of calls by now.
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(reads).toBeGreaterThanOrEqual(1);
    expect(reads).toBeLessThanOrEqual(3);
  });

  it('journal reads and file downloads that fail (503) are retried: every change still renders once', async () => {
    h = await startHarness({ dialect, inbound: false, tweak: journalMode });
    await setupJournal(h);
    const crm = h.sandbox.hubspot.crm;
    h.sandbox.hubspot.journal.configure({ maxEventsPerEntry: 1 });
    const ids = Array.from({ length: 6 }, (_, i) => crm.create('contacts', { firstname: `Flaky${i}`, company: 'Retry Co', lifecyclestage: 'lead' }).id);
    h.sandbox.hubspot.journal.configure({ failNext: 4 });
    for (const id of ids) crm.update('contacts', id, { lifecyclestage: 'marketingqualifiedlead' });
    await h.waitFor(async () => ids.every((id) => crm.get('contacts', id)?.properties.heygen_render_status === 'COMPLETED'), 45_000, 'every change to render');
    expect(h.sandbox.hubspot.journal.settings().failNext).toBe(0);
    await h.settled();
    const billed = h.sandbox.heygen.ledger().filter((e) => e.billed);
    expect(billed.map((e) => e.variables.first_name).sort()).toEqual(ids.map((_, i) => `Flaky${i}`).sort());
  });

  it('malformed files and events are skipped, logged and counted; the good events beside them still render', async () => {
    h = await startHarness({ dialect, inbound: false, tweak: journalMode });
    await setupJournal(h);
    const crm = h.sandbox.hubspot.crm;
    const id = crm.create('contacts', { firstname: 'Mixed', company: 'Bag Ltd', lifecyclestage: 'lead' }).id;
    h.sandbox.hubspot.journal.appendRaw(() => 'this is not JSON');
    h.sandbox.hubspot.journal.appendRaw((offset) => ({
      offset,
      journalEvents: [
        { action: 'UPDATE', objectTypeId: '0-1', propertyChanges: { lifecyclestage: 'marketingqualifiedlead' } },
        'not an event',
        // The webhook-event form is read too.
        { subscriptionType: 'contact.propertyChange', objectId: Number(id), propertyName: 'lifecyclestage', propertyValue: 'marketingqualifiedlead', eventId: 77, occurredAt: 1_700_000_000_000 },
      ],
    }));
    await h.waitFor(async () => crm.get('contacts', id)?.properties.heygen_render_status === 'COMPLETED', 30_000, 'the good event to render');
    expect(await metric(h, 'reelay_journal_entries_skipped_total{what="file"}')).toMatch(/ 1$/);
    expect(await metric(h, 'reelay_journal_entries_skipped_total{what="event"}')).toMatch(/ 2$/);
    expect(h.logs()).toMatch(/Webhooks Journal entry skipped/);
    expect(h.logs()).toMatch(/2 malformed event\(s\) skipped/);
  });
});
