/**
 * Claiming work fairly and within the HeyGen window, on both dialects,
 * with several "instances" (stores with their own connections) at once.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claimFairly } from '../../src/engine/fair-share.js';
import { claimRenders } from '../../src/store/claim-renders.js';
import { openStore, type Store } from '../../src/store/db.js';
import { ingestEvents, type IngestItem } from '../../src/store/ingest-events.js';
import { migrate } from '../../src/store/migrate.js';
import { reserveSubmissions } from '../../src/store/reserve-submissions.js';
import { createTestDatabase, testDialects, type TestDatabase } from '../helpers/databases.js';

const NOW = Date.UTC(2026, 10, 27, 12);

function trigger(key: string, campaign: string, objectId: string): IngestItem {
  return {
    event: { source: 'hubspot', dedupe_key: key, portal_id: '1', kind: 'subscription', object_type: 'contacts', object_id: objectId, campaign_id: campaign, status: 'accepted', reason: null, payload: '{}' },
    renders: [
      { portal_id: '1', campaign_id: campaign, object_type: 'contacts', object_id: objectId, trigger_object_type: null, trigger_object_id: null, render_key: null, submission: 1, api: 'v3', template_id: 'tpl' },
    ],
  };
}

describe.each(await testDialects())('claiming on %s', (dialect) => {
  let database: TestDatabase;
  let store: Store;
  beforeEach(async () => {
    database = await createTestDatabase(dialect);
    store = openStore(database.url);
    await migrate(store);
  });
  afterEach(async () => {
    await store.close();
    await database.drop();
  });

  it('gives a small campaign its share even behind a large backlog of another', async () => {
    await ingestEvents(store, Array.from({ length: 60 }, (_, i) => trigger(`a${i}`, 'big', String(i))), NOW - 60_000);
    await ingestEvents(store, [trigger('b1', 'small', '900'), trigger('b2', 'small', '901')], NOW);
    const claimed = await claimFairly({ store }, ['received'], NOW, 10, (limit, campaignId) =>
      claimRenders(store.db, store.dialect, { states: ['received'], workerId: 'w', now: NOW, leaseMs: 60_000, limit, ...(campaignId ? { campaignId } : {}) }),
    );
    expect(claimed).toHaveLength(10);
    expect(claimed.filter((r) => r.campaign_id === 'small')).toHaveLength(2);
  });

  it('never reserves more submissions than the window, even from several instances at once', async () => {
    await ingestEvents(store, Array.from({ length: 40 }, (_, i) => trigger(`e${i}`, 'c', String(i))), NOW);
    await store.db.updateTable('renders').set({ state: 'enriched' }).execute();
    // SQLite has one process per file (SPEC "Leases"); PostgreSQL is shared by many.
    const instances = dialect === 'postgres' ? [store, openStore(database.url), openStore(database.url)] : [store];
    const rounds = await Promise.all(
      instances.flatMap((s, i) =>
        [0, 1, 2].map(() => reserveSubmissions(s, { workerId: `w${i}`, now: NOW, leaseMs: 60_000, windowSize: 4, limit: 10 })),
      ),
    );
    expect(rounds.flat()).toHaveLength(4);
    const submitting = await store.db.selectFrom('renders').select('id').where('state', '=', 'submitting').execute();
    expect(submitting).toHaveLength(4);
    await Promise.all(instances.slice(1).map((s) => s.close()));
  });
});

describe.each((await testDialects()).filter((d) => d === 'postgres'))('shared HubSpot budget on %s', (dialect) => {
  it('lets three instances together take at most the burst in one window', async () => {
    const { SharedRollingWindow } = await import('../../src/engine/shared-rolling-window.js');
    const { ManualClock } = await import('../../src/core/clock.js');
    const database = await createTestDatabase(dialect);
    const stores = [openStore(database.url), openStore(database.url), openStore(database.url)];
    await migrate(stores[0]!);
    const clock = new ManualClock(NOW);
    const windows = stores.map((s) => new SharedRollingWindow(s, 'hubspot-api', 10, 10_000, clock, 30_000));
    const attempts = await Promise.all(windows.flatMap((w) => Array.from({ length: 8 }, () => w.tryAcquire())));
    const granted = attempts.filter((a) => 'slot' in a);
    expect(granted).toHaveLength(10);
    await Promise.all(granted.map((g) => ('slot' in g ? g.slot.done() : undefined)));
    clock.advance(9_999);
    expect('waitMs' in (await windows[1]!.tryAcquire())).toBe(true);
    clock.advance(2);
    expect('slot' in (await windows[2]!.tryAcquire())).toBe(true);
    await Promise.all(stores.map((s) => s.close()));
    await database.drop();
  });
});
