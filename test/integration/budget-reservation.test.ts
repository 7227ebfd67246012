/**
 * The credit budget at the store: reservations racing from several
 * "instances" (stores with their own connections) never take more slots
 * than a cap; a slot held by a submission is not taken twice; a refused
 * submission's slot is given back only once its render has failed.
 */
import { describe, expect, it } from 'vitest';
import { countCreditSlots } from '../../src/store/count-credit-slots.js';
import { openStore } from '../../src/store/db.js';
import { ingestEvents } from '../../src/store/ingest-events.js';
import { releaseCreditSlot } from '../../src/store/release-credit-slot.js';
import { reserveSubmissions, type ReserveInput } from '../../src/store/reserve-submissions.js';
import { testDialects } from '../helpers/databases.js';
import { triggerItem, useMigratedStore } from '../helpers/stores.js';

const NOW = Date.UTC(2026, 10, 27, 12);
const DAY = '2026-11-27';

describe.each(await testDialects())('credit budget reservations on %s', (dialect) => {
  const fresh = useMigratedStore(dialect);
  const input = (worker: string, over: Partial<ReserveInput> = {}): ReserveInput => ({
    workerId: worker,
    now: NOW,
    leaseMs: 60_000,
    windowSize: 100,
    limit: 10,
    budget: { caps: { daily: 5, campaigns: { a: { daily: 2 } } }, day: DAY },
    ...over,
  });

  it('never passes a cap, even from several instances at once', async () => {
    const { store, database } = fresh;
    await ingestEvents(store, Array.from({ length: 30 }, (_, i) => triggerItem(`e${i}`, String(i), i % 2 === 0 ? 'a' : 'b')), NOW);
    await store.db.updateTable('renders').set({ state: 'enriched' }).execute();
    const instances = dialect === 'postgres' ? [store, openStore(database.url), openStore(database.url)] : [store];
    const rounds = await Promise.all(instances.flatMap((s, i) => [0, 1, 2].map(() => reserveSubmissions(s, input(`w${i}`, { limit: 3 })))));
    const reserved = rounds.flat();
    expect(reserved).toHaveLength(5);
    expect(reserved.filter((r) => r.campaign_id === 'a').length).toBeLessThanOrEqual(2);
    expect(Object.fromEntries(await countCreditSlots(store, DAY))).toEqual(
      Object.fromEntries([...new Set(reserved.map((r) => r.campaign_id))].map((c) => [c, reserved.filter((r) => r.campaign_id === c).length])),
    );
    // At the cap, further reservations take nothing; the next day has room again.
    expect(await reserveSubmissions(store, input('w9'))).toEqual([]);
    expect(await reserveSubmissions(store, input('w9', { budget: { caps: { daily: 5, campaigns: {} }, day: '2026-11-28' } }))).toHaveLength(5);
    await Promise.all(instances.slice(1).map((s) => s.close()));
  });

  it('a render holding a slot for its submission takes no second one; a refused one gives it back once failed', async () => {
    const { store } = fresh;
    await ingestEvents(store, [triggerItem('x', '1', 'b'), triggerItem('y', '2', 'b')], NOW);
    await store.db.updateTable('renders').set({ state: 'enriched' }).execute();
    const caps = { daily: 1, campaigns: {} };
    const [first] = await reserveSubmissions(store, input('w', { budget: { caps, day: DAY } }));
    expect(first).toBeDefined();
    // Still submitting: its slot is not given back.
    expect(await releaseCreditSlot(store, first!.id, first!.submission)).toBe(false);
    // Back in enriched with the same submission (as after an operator's retry of an ambiguous failure): passes at the cap, no new slot.
    await store.db.updateTable('renders').set({ state: 'enriched', lease_until: null }).where('id', '=', first!.id).execute();
    const again = await reserveSubmissions(store, input('w', { budget: { caps, day: DAY } }));
    expect(again.map((r) => r.id)).toEqual([first!.id]);
    expect(await countCreditSlots(store, DAY)).toEqual(new Map([['b', 1]]));

    await store.db.updateTable('renders').set({ state: 'failed' }).where('id', '=', first!.id).execute();
    expect(await releaseCreditSlot(store, first!.id, first!.submission)).toBe(true);
    expect(await countCreditSlots(store, DAY)).toEqual(new Map());
    const next = await reserveSubmissions(store, input('w', { budget: { caps, day: DAY } }));
    expect(next.map((r) => r.id)).not.toContain(first!.id);
    expect(next).toHaveLength(1);
  });
});
