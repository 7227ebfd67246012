import type { Store } from './db.js';

/** The poller no longer holds the lease, or another moved the offset: nothing was stored. */
export class JournalLeaseLost extends Error {
  constructor(name: string) {
    super(`the lease of journal ${name} was lost (another instance polls it now); nothing stored`);
    this.name = 'JournalLeaseLost';
  }
}

/**
 * Takes (or renews) the lease of the journal poller: one instance polls at a
 * time; a killed one's lease runs out and another takes over. Returns the
 * stored offset when this owner holds the lease, else null.
 */
export async function claimJournalLease(
  store: Store,
  input: { name: string; owner: string; now: number; leaseMs: number },
): Promise<{ position: string | null } | null> {
  const { db } = store;
  await db
    .insertInto('journal_cursor')
    .values({ name: input.name, position: null, leased_by: null, lease_until: null, updated_at: input.now })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const row = await db
    .updateTable('journal_cursor')
    .set({ leased_by: input.owner, lease_until: input.now + input.leaseMs })
    .where('name', '=', input.name)
    .where((eb) => eb.or([eb('leased_by', 'is', null), eb('leased_by', '=', input.owner), eb('lease_until', '<', input.now)]))
    .returning('position')
    .executeTakeFirst();
  return row === undefined ? null : { position: row.position };
}

/** Graceful stop: the next instance need not wait for the lease to run out. */
export async function releaseJournalLease(store: Store, name: string, owner: string): Promise<void> {
  const { db } = store;
  await db.updateTable('journal_cursor').set({ leased_by: null, lease_until: null }).where('name', '=', name).where('leased_by', '=', owner).execute();
}

/** SQLite start-up: one process owns the file, so a lease in it belongs to a process that is gone. */
export async function reclaimJournalLeases(store: Store): Promise<void> {
  const { db } = store;
  await db.updateTable('journal_cursor').set({ leased_by: null, lease_until: null }).where('leased_by', 'is not', null).execute();
}

/** The stored offset (null before the first entry), for doctor and tests. */
export async function readJournalPosition(store: Store, name: string): Promise<string | null> {
  const { db } = store;
  const row = await db.selectFrom('journal_cursor').select('position').where('name', '=', name).executeTakeFirst();
  return row?.position ?? null;
}

/** Moves the offset without events (an expired offset restarting from the earliest entry is stored by the entry itself). */
export async function resetJournalPosition(store: Store, input: { name: string; owner: string; from: string | null; to: string | null; now: number }): Promise<void> {
  const moved = await store.db
    .updateTable('journal_cursor')
    .set({ position: input.to, updated_at: input.now })
    .where('name', '=', input.name)
    .where('leased_by', '=', input.owner)
    .where((eb) => (input.from === null ? eb('position', 'is', null) : eb('position', '=', input.from)))
    .executeTakeFirst();
  if (Number(moved.numUpdatedRows) !== 1) throw new JournalLeaseLost(input.name);
}
