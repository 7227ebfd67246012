import type { Store } from './db.js';

/**
 * Retention (`retention.engagementDays`): a video's engagement totals that
 * have not changed since `before` are deleted. Returns the rows deleted.
 * (A later play of that video counts from zero again. Pending engagement
 * writes in the outbox are not history: they are sent and gone within
 * `links.flushEvery`.)
 */
export async function pruneEngagement(store: Store, before: number): Promise<number> {
  const result = await store.db.deleteFrom('engagement').where('updated_at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
