import type { Store } from './db.js';

/** Deletes credit budget slots of UTC days before `beforeDay` (`YYYY-MM-DD`; such strings sort by date). */
export async function pruneCreditSlots(store: Store, beforeDay: string): Promise<number> {
  const result = await store.db.deleteFrom('credit_slots').where('day', '<', beforeDay).executeTakeFirst();
  return Number(result.numDeletedRows);
}
