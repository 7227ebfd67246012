import { sql } from 'kysely';
import type { Store } from './db.js';

export interface TakeSlotInput {
  lane: string;
  limit: number;
  windowMs: number;
  now: number;
  /** A slot never released (its instance died mid-request) stops counting after this long. */
  staleMs: number;
}

/**
 * Takes a slot of a shared rolling window if fewer than `limit` are held:
 * in flight (not yet released, not stale) or released within the window.
 * Counting and taking happen under a per-lane advisory lock (PostgreSQL
 * only: this store is what makes the budget shared by instances).
 */
export async function takeSlot(store: Store, input: TakeSlotInput): Promise<{ id: number } | { waitMs: number }> {
  const { db } = store;
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext(${`reelay-budget:${input.lane}`}))`.execute(trx);
    const windowStart = input.now - input.windowMs;
    const held = await trx
      .selectFrom('rate_slots')
      .select([(eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.min('done_at').as('oldest')])
      .where('lane', '=', input.lane)
      .where((eb) =>
        eb.or([
          eb.and([eb('done_at', 'is', null), eb('taken_at', '>', input.now - input.staleMs)]),
          eb('done_at', '>', windowStart),
        ]),
      )
      .executeTakeFirstOrThrow();
    if (Number(held.n) >= input.limit) {
      const oldest = held.oldest === null ? null : Number(held.oldest);
      return { waitMs: oldest === null ? 25 : Math.max(1, oldest + input.windowMs - input.now) };
    }
    const row = await trx.insertInto('rate_slots').values({ lane: input.lane, taken_at: input.now, done_at: null }).returning('id').executeTakeFirstOrThrow();
    return { id: row.id };
  });
}

export async function releaseSlot(store: Store, id: number, now: number): Promise<void> {
  const { db } = store;
  await db.updateTable('rate_slots').set({ done_at: now }).where('id', '=', id).execute();
}

/** Slots someone else used (the provider's headers said so): held, released now. */
export async function addBorrowedSlots(store: Store, lane: string, count: number, now: number): Promise<void> {
  const { db } = store;
  if (count <= 0) return;
  await db
    .insertInto('rate_slots')
    .values(Array.from({ length: count }, () => ({ lane, taken_at: now, done_at: now })))
    .execute();
}

export async function countHeldSlots(store: Store, lane: string, now: number, windowMs: number, staleMs: number): Promise<number> {
  const { db } = store;
  const held = await db
    .selectFrom('rate_slots')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('lane', '=', lane)
    .where((eb) => eb.or([eb.and([eb('done_at', 'is', null), eb('taken_at', '>', now - staleMs)]), eb('done_at', '>', now - windowMs)]))
    .executeTakeFirstOrThrow();
  return Number(held.n);
}

export async function pruneSlots(store: Store, before: number): Promise<void> {
  const { db } = store;
  await db
    .deleteFrom('rate_slots')
    .where((eb) => eb.or([eb('done_at', '<', before), eb.and([eb('done_at', 'is', null), eb('taken_at', '<', before)])]))
    .execute();
}
