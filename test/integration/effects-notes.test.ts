/**
 * Typed effects, `note`: a campaign with `note: true` puts exactly one note
 * on the record's timeline when the video is ready, associated with the
 * record, on SQLite and PostgreSQL and both HubSpot API versions; also when
 * HubSpot accepts the create but the answer is lost (Reelay looks for the
 * note's marker before any second create), and when the service is
 * restarted between the lost answer and the retry.
 */
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/observability/logger.js';
import { startService, type Service } from '../../src/service.js';
import { openStore } from '../../src/store/db.js';
import { pathVersionsOf, startHarness, testMatrix, type Harness } from '../helpers/harness.js';

describe.each(await testMatrix())('notes on %s, HubSpot API %s', (dialect, apiVersion) => {
  let h: Harness | undefined;
  let restarted: Service | undefined;
  afterEach(async () => {
    const used = h?.usedPathVersions() ?? [];
    await restarted?.stop();
    await h?.stop();
    for (const version of used) expect(pathVersionsOf(apiVersion)).toContain(version);
    h = undefined;
    restarted = undefined;
  });

  async function start(tweak: (c: Harness['config']) => void = () => {}): Promise<Harness> {
    h = await startHarness({
      dialect,
      apiVersion,
      tweak: (config) => {
        const campaign = config.campaigns.find((c) => c.id === 'bdr-intro');
        if (campaign) campaign.note = true;
        tweak(config);
      },
    });
    return h;
  }

  function qualify(harness: Harness): string {
    const crm = harness.sandbox.hubspot.crm;
    const id = crm.create('contacts', { firstname: 'Ada', company: 'Analytical Engines', lifecyclestage: 'lead' }).id;
    harness.sandbox.hubspot.webhooks.setSubscriptions([{ subscriptionType: 'contact.propertyChange', propertyName: 'lifecyclestage' }]);
    crm.update('contacts', id, { lifecyclestage: 'marketingqualifiedlead' });
    return id;
  }

  /** The video reached the CRM and nothing is left to send. */
  async function done(harness: Harness, contact: string): Promise<void> {
    await harness.waitFor(async () => harness.sandbox.hubspot.crm.get('contacts', contact)?.properties.heygen_render_status === 'COMPLETED', 20_000, 'COMPLETED');
    await harness.settled();
  }

  function expectOneNote(harness: Harness, contact: string): void {
    const notes = harness.sandbox.hubspot.notes.all();
    expect(notes).toHaveLength(1);
    const [note] = notes;
    expect(note?.associations).toEqual([{ objectType: 'contacts', objectId: contact }]);
    const props = harness.sandbox.hubspot.crm.get('contacts', contact)?.properties;
    expect(props?.heygen_render_status).toBe('COMPLETED');
    expect(note?.properties.hs_note_body).toContain('Intro for Ada at Analytical Engines');
    expect(note?.properties.hs_note_body).toContain(props?.heygen_video_url);
    // The thumbnail (the e-mail GIF), linking to the video page too.
    expect(props?.heygen_video_thumbnail_url).toBe(`${props?.heygen_video_url}/thumbnail.gif`);
    expect(note?.properties.hs_note_body).toContain(`<a href="${props?.heygen_video_url}"><img src="${props?.heygen_video_thumbnail_url}"`);
    expect(note?.properties.hs_timestamp).toMatch(/^\d{4}-\d\d-\d\dT/);
  }

  it('a completed render with note: true creates exactly one note associated with the record', async () => {
    const harness = await start();
    const contact = qualify(harness);
    await done(harness, contact);
    expectOneNote(harness, contact);
  });

  it('a campaign without note: true creates no note', async () => {
    h = await startHarness({ dialect, apiVersion });
    await done(h, qualify(h));
    expect(h.sandbox.hubspot.crm.list('contacts')[0]?.properties.heygen_render_status).toBe('COMPLETED');
    expect(h.sandbox.hubspot.notes.all()).toEqual([]);
  });

  it('HubSpot creates the note but the answer is lost: the retry finds it and creates no second one', async () => {
    const harness = await start();
    harness.sandbox.hubspot.control.setFaults({ resetAfterWriteRate: 1, operations: ['notes.create'] });
    const contact = qualify(harness);
    await done(harness, contact);
    expect(harness.sandbox.hubspot.stats().faults.resetsAfterWrite).toBeGreaterThanOrEqual(1);
    expectOneNote(harness, contact);
  });

  it('the service restarts between the lost answer and the retry: still exactly one note', async () => {
    // A long backoff keeps the retry pending while the service is stopped.
    const harness = await start((config) => {
      config.worker.retryBase = 3_600_000;
      config.worker.retryCap = 3_600_000;
    });
    harness.sandbox.hubspot.control.setFaults({ resetAfterWriteRate: 1, operations: ['notes.create'] });
    const contact = qualify(harness);
    await harness.waitFor(async () => harness.sandbox.hubspot.notes.all().length > 0, 20_000, 'the note to be created');
    await harness.service.stop();
    harness.sandbox.hubspot.control.clearFaults();

    const db = openStore(harness.database.url);
    try {
      const pending = await db.db.selectFrom('outbox').selectAll().where('kind', '=', 'note').execute();
      expect(pending).toHaveLength(1);
      // Time passes: the retry comes due.
      await db.db.updateTable('outbox').set({ run_at: Date.now() }).where('kind', '=', 'note').execute();
    } finally {
      await db.close();
    }

    let logs = '';
    const sink = new Writable({ write: (chunk, _e, done) => ((logs += String(chunk)), done()) });
    restarted = await startService({ env: harness.env, config: harness.config, logger: createLogger({ level: 'info', secrets: [], destination: sink }) });
    const service = restarted;
    await harness.waitFor(
      async () => Number((await service.store.db.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n) === 0,
      20_000,
      'the note effect to be settled',
    );
    expectOneNote(harness, contact);
    expect(logs).toContain('CRM note already created by an earlier attempt');
  });
});

describe('notes while search lags behind writes', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('a retry that cannot see the lost create in search yet waits for search instead of creating a second note', async () => {
    h = await startHarness({
      sandbox: { hubspot: { searchLagMs: 3_000 } },
      tweak: (config) => {
        const campaign = config.campaigns.find((c) => c.id === 'bdr-intro');
        if (campaign) campaign.note = true;
      },
    });
    const harness = h;
    harness.sandbox.hubspot.control.setFaults({ resetAfterWriteRate: 1, operations: ['notes.create'] });
    const crm = harness.sandbox.hubspot.crm;
    const contact = crm.create('contacts', { firstname: 'Ada', company: 'Analytical Engines', lifecyclestage: 'lead' }).id;
    harness.sandbox.hubspot.webhooks.setSubscriptions([{ subscriptionType: 'contact.propertyChange', propertyName: 'lifecyclestage' }]);
    crm.update('contacts', contact, { lifecyclestage: 'marketingqualifiedlead' });
    await harness.waitFor(async () => crm.get('contacts', contact)?.properties.heygen_render_status === 'COMPLETED', 20_000, 'COMPLETED');
    await harness.settled(40_000);
    expect(harness.sandbox.hubspot.notes.on('contacts', contact)).toHaveLength(1);
    expect(harness.sandbox.hubspot.notes.all()).toHaveLength(1);
  }, 60_000);
});
