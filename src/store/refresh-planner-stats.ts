import { sql } from 'kysely';
import type { Store } from './db.js';

/**
 * Keeps the query planner's statistics current. SQLite: `PRAGMA optimize`,
 * which analyzes a table only when it was never analyzed or has grown or
 * shrunk tenfold since (cheap otherwise). Without them SQLite cannot tell a
 * narrow range of `created_at` from a wide one, and lists the renders of a
 * day by sorting every render of an object type. PostgreSQL's autovacuum
 * does this itself.
 */
export async function refreshPlannerStats(store: Store): Promise<void> {
  if (store.dialect === 'sqlite') await sql`pragma optimize`.execute(store.db);
}
