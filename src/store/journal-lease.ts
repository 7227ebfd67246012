import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/**
 * Takes (or renews) the lease of the journal poller: one instance polls at a
 * time; a killed one's lease runs out and another takes over. Returns the
 * stored offset when this owner holds the lease, else null.
 */
export async function claimJournalLease(
  db: Kysely<Database>,
  input: { name: string; owner: string; now: number; leaseMs: number },
): Promise<{ position: string | null } | null> {
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
export async function releaseJournalLease(db: Kysely<Database>, name: string, owner: string): Promise<void> {
  await db.updateTable('journal_cursor').set({ leased_by: null, lease_until: null }).where('name', '=', name).where('leased_by', '=', owner).execute();
}

/** SQLite start-up: one process owns the file, so a lease in it belongs to a process that is gone. */
export async function reclaimJournalLeases(db: Kysely<Database>): Promise<void> {
  await db.updateTable('journal_cursor').set({ leased_by: null, lease_until: null }).where('leased_by', 'is not', null).execute();
}

/** The stored offset (null before the first entry), for doctor and tests. */
export async function readJournalPosition(db: Kysely<Database>, name: string): Promise<string | null> {
  const row = await db.selectFrom('journal_cursor').select('position').where('name', '=', name).executeTakeFirst();
  return row?.position ?? null;
}
