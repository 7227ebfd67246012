import type { Store } from './db.js';

/** Budget slots taken on a UTC day (`YYYY-MM-DD`), per campaign. */
export async function countCreditSlots(store: Store, day: string): Promise<Map<string, number>> {
  const rows = await store.db
    .selectFrom('credit_slots')
    .select(['campaign_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('day', '=', day)
    .groupBy('campaign_id')
    .execute();
  return new Map(rows.map((r) => [r.campaign_id, Number(r.n)]));
}
