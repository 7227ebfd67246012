import type { Kysely } from 'kysely';
import type { Store } from './db.js';
import type { Database } from './schema.js';

/**
 * Tables of video engagement (plays, watch percent, CTA clicks), each with
 * how to delete its rows recorded before a time. A table is one line here,
 * e.g. `(db, before) => db.deleteFrom('engagement').where('at', '<', before).executeTakeFirst()`.
 * (Pending engagement writes in the outbox are not history: they are sent
 * and gone within `links.flushEvery`.)
 */
const ENGAGEMENT_TABLES: Array<(db: Kysely<Database>, before: number) => Promise<{ numDeletedRows: bigint }>> = [];

/** Retention (`retention.engagementDays`): engagement recorded before `before` is deleted. Returns the rows deleted. */
export async function pruneEngagement(store: Store, before: number): Promise<number> {
  let deleted = 0;
  for (const prune of ENGAGEMENT_TABLES) deleted += Number((await prune(store.db, before)).numDeletedRows);
  return deleted;
}
