import { sql } from 'kysely';
import type { Store } from './db.js';

/** A round trip to the database: throws when it cannot be reached. */
export async function ping(store: Store): Promise<void> {
  await sql`select 1`.execute(store.db);
}
