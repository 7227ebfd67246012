import type { Store } from './db.js';

/** Retention: raw inbound events older than `before` are deleted. Renders and timelines stay (the billing audit). */
export async function pruneEvents(store: Store, before: number): Promise<number> {
  const { db } = store;
  const result = await db.deleteFrom('events').where('received_at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
