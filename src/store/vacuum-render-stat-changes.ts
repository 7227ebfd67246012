import { sql } from 'kysely';
import type { Store } from './db.js';

/**
 * PostgreSQL: reclaims the rows compaction deleted from the render statistic
 * changes. Until then every reader of the statistics scans them (a burst's
 * million changes made the overview take 300 ms); autovacuum would get to it
 * within a minute or so, this does it at once. Skipped when another instance
 * is vacuuming it. SQLite frees deleted rows as it goes.
 */
export async function vacuumRenderStatChanges(store: Store): Promise<void> {
  if (store.dialect === 'postgres') await sql`vacuum (skip_locked) render_stat_changes`.execute(store.db);
}
