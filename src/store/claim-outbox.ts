import type { Kysely } from 'kysely';
import type { Dialect } from './db.js';
import type { Database, OutboxRow } from './schema.js';

/** Leases up to `limit` due CRM writes, oldest first, to be sent as batch updates. */
export async function claimOutbox(
  db: Kysely<Database>,
  dialect: Dialect,
  input: { workerId: string; now: number; leaseMs: number; limit: number },
): Promise<OutboxRow[]> {
  let due = db
    .selectFrom('outbox')
    .select('id')
    .where('run_at', '<=', input.now)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', input.now)]))
    .orderBy('run_at')
    .orderBy('id')
    .limit(input.limit);
  if (dialect === 'postgres') due = due.forUpdate().skipLocked();
  return db
    .updateTable('outbox')
    .set({ leased_by: input.workerId, lease_until: input.now + input.leaseMs })
    .where('id', 'in', due)
    .returningAll()
    .execute();
}

/** The earliest time an outbox row becomes due, or null when the outbox is empty. */
export async function nextOutboxDue(db: Kysely<Database>): Promise<number | null> {
  const row = await db.selectFrom('outbox').select((eb) => eb.fn.min('run_at').as('next')).executeTakeFirst();
  return row?.next === null || row?.next === undefined ? null : Number(row.next);
}
