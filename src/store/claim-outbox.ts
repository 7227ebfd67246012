import type { Store } from './db.js';
import type { OutboxRow } from './schema.js';

/** Leases up to `limit` due CRM effects (of any kind), oldest first; each lease counts in `claims`. */
export async function claimOutbox(
  store: Store,
  input: { workerId: string; now: number; leaseMs: number; limit: number },
): Promise<OutboxRow[]> {
  const { db, dialect } = store;
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
    .set((eb) => ({ leased_by: input.workerId, lease_until: input.now + input.leaseMs, claims: eb('claims', '+', 1) }))
    .where('id', 'in', due)
    .returningAll()
    .execute();
}

/** How many writes are due and unleased, since when the oldest, and when the outbox last changed. */
export async function outboxBacklog(store: Store, now: number): Promise<{ due: number; oldestDue: number; lastChange: number }> {
  const { db } = store;
  const row = await db
    .selectFrom('outbox')
    .select([(eb) => eb.fn.countAll<number>().as('due'), (eb) => eb.fn.min('run_at').as('oldest')])
    .where('run_at', '<=', now)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
    .executeTakeFirstOrThrow();
  const last = await db.selectFrom('outbox').select((eb) => eb.fn.max('updated_at').as('last')).executeTakeFirstOrThrow();
  return { due: Number(row.due), oldestDue: row.oldest === null ? now : Number(row.oldest), lastChange: last.last === null ? 0 : Number(last.last) };
}

/** The properties a queued write carries (stored as JSON text); anything but string values is ignored. */
export function outboxProperties(row: Pick<OutboxRow, 'properties'>): Record<string, string> {
  const value: unknown = JSON.parse(row.properties);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}
