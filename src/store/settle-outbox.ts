import type { Kysely } from 'kysely';
import type { Database, OutboxRow } from './schema.js';

/**
 * A write was accepted by HubSpot: delete it, unless a newer write was
 * coalesced into the row while it was being sent (its version moved on), in
 * which case the row stays, released, to send the newer content.
 */
export async function settleSentWrite(db: Kysely<Database>, row: Pick<OutboxRow, 'id' | 'version'>): Promise<void> {
  const deleted = await db.deleteFrom('outbox').where('id', '=', row.id).where('version', '=', row.version).executeTakeFirst();
  if (Number(deleted.numDeletedRows) === 0) {
    await db.updateTable('outbox').set({ leased_by: null, lease_until: null, attempts: 0 }).where('id', '=', row.id).execute();
  }
}

/** A write failed: reschedule it (or give it up) with the reason. */
export async function rescheduleWrite(
  db: Kysely<Database>,
  row: Pick<OutboxRow, 'id'>,
  input: { runAt: number; error: string; now: number; countAttempt: boolean },
): Promise<void> {
  await db
    .updateTable('outbox')
    .set((eb) => ({
      leased_by: null,
      lease_until: null,
      run_at: input.runAt,
      last_error: input.error,
      updated_at: input.now,
      attempts: input.countAttempt ? eb('attempts', '+', 1) : eb.ref('attempts'),
    }))
    .where('id', '=', row.id)
    .execute();
}

/** A write that can never succeed (e.g. the record was deleted): drop it, keeping the reason in the log. */
export async function dropWrite(db: Kysely<Database>, row: Pick<OutboxRow, 'id' | 'version'>): Promise<void> {
  await db.deleteFrom('outbox').where('id', '=', row.id).where('version', '=', row.version).execute();
}
