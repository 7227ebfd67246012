/**
 * The journal's durable state on both engines: the offset moves only in the
 * transaction that stores the entry's events (a failure stores neither),
 * only from the offset the entry was read after, and only for the lease
 * holder; the lease is exclusive until it runs out.
 */
import { describe, expect, it } from 'vitest';
import { claimJournalLease, readJournalPosition, releaseJournalLease } from '../../src/store/journal-lease.js';
import { JournalLeaseLost, storeJournalEntry } from '../../src/store/store-journal-entry.js';
import type { IngestItem } from '../../src/store/ingest-events.js';
import { testDialects } from '../helpers/databases.js';
import { triggerItem, useMigratedStore } from '../helpers/stores.js';

const LEASE = 10_000;

describe.each(await testDialects())('journal cursor on %s', (dialect) => {
  const fixture = useMigratedStore(dialect);
  const events = async () => Number((await fixture.store.db.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const renders = async () => Number((await fixture.store.db.selectFrom('renders').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  it('stores the events and moves the offset together, or neither when the transaction fails', async () => {
    const { store } = fixture;
    expect(await claimJournalLease(store.db, { name: 'hubspot', owner: 'a', now: 1_000, leaseMs: LEASE })).toEqual({ position: null });
    await storeJournalEntry(store, { name: 'hubspot', owner: 'a', from: null, to: 'o-1', items: [triggerItem('k1', '1'), triggerItem('k2', '2')], now: 1_001, leaseMs: LEASE });
    expect(await readJournalPosition(store.db, 'hubspot')).toBe('o-1');
    expect([await events(), await renders()]).toEqual([2, 2]);

    // The events insert, then a render cannot (NOT NULL violated): the events are not kept and the offset does not move.
    const good = triggerItem('k4', '4');
    const broken = { ...good, renders: good.renders.map((r) => ({ ...r, template_id: null })) } as unknown as IngestItem;
    await expect(storeJournalEntry(store, { name: 'hubspot', owner: 'a', from: 'o-1', to: 'o-2', items: [triggerItem('k3', '3'), broken], now: 1_002, leaseMs: LEASE })).rejects.toThrow();
    expect(await readJournalPosition(store.db, 'hubspot')).toBe('o-1');
    expect([await events(), await renders()]).toEqual([2, 2]);
  });

  it('moves only from the offset the entry was read after, and only for the lease holder', async () => {
    const { store } = fixture;
    await claimJournalLease(store.db, { name: 'hubspot', owner: 'a', now: 1_000, leaseMs: LEASE });
    await storeJournalEntry(store, { name: 'hubspot', owner: 'a', from: null, to: 'o-1', items: [triggerItem('k1', '1')], now: 1_001, leaseMs: LEASE });
    // A stale reader (it read after null, but the offset is o-1 now) stores nothing.
    await expect(storeJournalEntry(store, { name: 'hubspot', owner: 'a', from: null, to: 'o-1', items: [triggerItem('k1b', '9')], now: 1_002, leaseMs: LEASE })).rejects.toBeInstanceOf(JournalLeaseLost);
    // Another instance without the lease stores nothing either.
    await expect(storeJournalEntry(store, { name: 'hubspot', owner: 'b', from: 'o-1', to: 'o-2', items: [triggerItem('k2', '2')], now: 1_003, leaseMs: LEASE })).rejects.toBeInstanceOf(JournalLeaseLost);
    expect(await readJournalPosition(store.db, 'hubspot')).toBe('o-1');
    expect(await events()).toBe(1);
  });

  it('the lease is exclusive until it runs out (or is released), then another instance takes over with the stored offset', async () => {
    const { store } = fixture;
    await claimJournalLease(store.db, { name: 'hubspot', owner: 'a', now: 1_000, leaseMs: LEASE });
    await storeJournalEntry(store, { name: 'hubspot', owner: 'a', from: null, to: 'o-1', items: [], now: 1_000, leaseMs: LEASE });
    expect(await claimJournalLease(store.db, { name: 'hubspot', owner: 'b', now: 5_000, leaseMs: LEASE })).toBeNull();
    expect(await claimJournalLease(store.db, { name: 'hubspot', owner: 'a', now: 5_000, leaseMs: LEASE })).toEqual({ position: 'o-1' });
    expect(await claimJournalLease(store.db, { name: 'hubspot', owner: 'b', now: 14_999, leaseMs: LEASE })).toBeNull();
    expect(await claimJournalLease(store.db, { name: 'hubspot', owner: 'b', now: 15_001, leaseMs: LEASE })).toEqual({ position: 'o-1' });
    await releaseJournalLease(store.db, 'hubspot', 'b');
    expect(await claimJournalLease(store.db, { name: 'hubspot', owner: 'c', now: 15_002, leaseMs: LEASE })).toEqual({ position: 'o-1' });
  });
});
