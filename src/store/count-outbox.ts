import type { Store } from './db.js';

/** CRM writes not yet sent, due or not. */
export async function countPendingWrites(store: Store): Promise<number> {
  const row = await store.db.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}
