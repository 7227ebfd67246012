/** `/readyz`: whether this instance can do its job as far as the database goes. */
import type { Store } from '../store/db.js';
import { isMigrated } from '../store/migrate.js';
import { ping } from '../store/ping.js';

export type DatabaseReadiness = 'ready' | 'not_migrated' | 'database_unreachable';

export async function databaseReadiness(store: Store): Promise<DatabaseReadiness> {
  try {
    await ping(store);
    return (await isMigrated(store)) ? 'ready' : 'not_migrated';
  } catch {
    return 'database_unreachable';
  }
}
