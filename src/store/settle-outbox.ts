import type { OutboxRow } from './schema.js';
import type { Store } from './db.js';

/**
 * Writes HubSpot accepted: delete them, except those into which a newer
 * write was coalesced while they were being sent (their version moved on):
 * those stay, released, to send the newer content (at `nextRunAt` when
 * given, else when they were due). One transaction for the whole batch.
 */
export async function settleSentWrites(store: Store, rows: readonly Pick<OutboxRow, 'id' | 'version'>[], nextRunAt?: number): Promise<void> {
  const { db } = store;
  if (rows.length === 0) return;
  await db.transaction().execute(async (trx) => {
    await trx
      .deleteFrom('outbox')
      .where((eb) => eb.or(rows.map((r) => eb.and([eb('id', '=', r.id), eb('version', '=', r.version)]))))
      .execute();
    await trx
      .updateTable('outbox')
      .set({ leased_by: null, lease_until: null, attempts: 0, ...(nextRunAt === undefined ? {} : { run_at: nextRunAt }) })
      .where('id', 'in', rows.map((r) => r.id))
      .execute();
  });
}

/** A write failed: reschedule it (or give it up) with the reason. */
export async function rescheduleWrite(
  store: Store,
  row: Pick<OutboxRow, 'id'>,
  input: { runAt: number; error: string; now: number; countAttempt: boolean },
): Promise<void> {
  const { db } = store;
  await db
    .updateTable('outbox')
    .set((eb) => ({
      leased_by: null,
      lease_until: null,
      // Backoff delays are fractional; PostgreSQL's bigint refuses a fraction.
      run_at: Math.ceil(input.runAt),
      last_error: input.error,
      updated_at: input.now,
      attempts: input.countAttempt ? eb('attempts', '+', 1) : eb.ref('attempts'),
    }))
    .where('id', '=', row.id)
    .execute();
}

/** A write that can never succeed (e.g. the record was deleted): drop it, keeping the reason in the log. */
export async function dropWrite(store: Store, row: Pick<OutboxRow, 'id' | 'version'>): Promise<void> {
  const { db } = store;
  await db.deleteFrom('outbox').where('id', '=', row.id).where('version', '=', row.version).execute();
}
