/**
 * Claiming work fairly and within the HeyGen window, on both dialects,
 * with several "instances" (stores with their own connections) at once.
 */
import { describe, expect, it } from 'vitest';
import { claimFairly } from '../../src/engine/fair-share.js';
import { campaignsWithDueRenders, claimRenders, hasDueRenders } from '../../src/store/claim-renders.js';
import { openStore } from '../../src/store/db.js';
import { ingestEvents } from '../../src/store/ingest-events.js';
import { migrate } from '../../src/store/migrate.js';
import { reserveSubmissions } from '../../src/store/reserve-submissions.js';
import { createTestDatabase, testDialects } from '../helpers/databases.js';
import { triggerItem, useMigratedStore } from '../helpers/stores.js';

const NOW = Date.UTC(2026, 10, 27, 12);


describe.each(await testDialects())('claiming on %s', (dialect) => {
  const fresh = useMigratedStore(dialect);

  it('gives a small campaign its share even behind a large backlog of another', async () => {
    const { store } = fresh;
    await ingestEvents(store, Array.from({ length: 60 }, (_, i) => triggerItem(`a${i}`, String(i), 'big')), NOW - 60_000);
    await ingestEvents(store, [triggerItem('b1', '900', 'small'), triggerItem('b2', '901', 'small')], NOW);
    const claimed = await claimFairly({ store }, ['received'], NOW, 10, (limit, campaignId) =>
      claimRenders(store, { states: ['received'], workerId: 'w', now: NOW, leaseMs: 60_000, limit, ...(campaignId ? { campaignId } : {}) }),
    );
    expect(claimed).toHaveLength(10);
    expect(claimed.filter((r) => r.campaign_id === 'small')).toHaveLength(2);
  });

  it('counts a campaign as having due work only for renders in the asked states, due and not leased', async () => {
    const { store } = fresh;
    expect(await campaignsWithDueRenders(store, ['received'], NOW)).toEqual([]);
    await ingestEvents(store, [triggerItem('d1', '1', 'due'), triggerItem('d2', '2', 'due')], NOW);
    await ingestEvents(store, [triggerItem('l1', '3', 'leased')], NOW);
    await ingestEvents(store, [triggerItem('f1', '4', 'later')], NOW);
    await ingestEvents(store, [triggerItem('e1', '5', 'enriched')], NOW);
    await claimRenders(store, { states: ['received'], workerId: 'w', now: NOW, leaseMs: 60_000, limit: 10, campaignId: 'leased' });
    await store.db.updateTable('renders').set({ run_at: NOW + 60_000 }).where('campaign_id', '=', 'later').execute();
    await store.db.updateTable('renders').set({ state: 'enriched' }).where('campaign_id', '=', 'enriched').execute();

    expect(await campaignsWithDueRenders(store, ['received'], NOW)).toEqual(['due']);
    expect(await campaignsWithDueRenders(store, ['received', 'enriched'], NOW)).toEqual(['due', 'enriched']);
    // Once the lease runs out and the retry time comes, they are due again.
    expect(await campaignsWithDueRenders(store, ['received'], NOW + 60_001)).toEqual(['due', 'later', 'leased']);
    expect(await hasDueRenders(store, ['received'], NOW)).toBe(true);
    expect(await hasDueRenders(store, ['completed'], NOW)).toBe(false);
  });

  it('never reserves more submissions than the window, even from several instances at once', async () => {
    const { store, database } = fresh;
    await ingestEvents(store, Array.from({ length: 40 }, (_, i) => triggerItem(`e${i}`, String(i))), NOW);
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
