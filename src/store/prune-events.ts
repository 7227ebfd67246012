import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** Retention: raw inbound events older than `before` are deleted. Renders and timelines stay (the billing audit). */
export async function pruneEvents(db: Kysely<Database>, before: number): Promise<number> {
  const result = await db.deleteFrom('events').where('received_at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
