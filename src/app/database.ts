/**
 * Opening and migrating the database, for the commands that work on it.
 * `Store` is re-exported as a type so `cli` and `http` never import `store/`.
 */
import { openStore, type OpenStoreOptions, type Store } from '../store/db.js';
import { migrate, type MigrationResult } from '../store/migrate.js';

export type { Store, MigrationResult };

export function openDatabase(databaseUrl: string, opts: OpenStoreOptions = {}): Store {
  return openStore(databaseUrl, opts);
}

/** Applies pending migrations; safe to call from several processes at once. */
export function migrateDatabase(store: Store): Promise<MigrationResult> {
  return migrate(store);
}

/** Opens the database, migrates it, runs `fn`, and closes it whatever happens. */
export async function withMigratedDatabase<T>(databaseUrl: string, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = openDatabase(databaseUrl);
  try {
    await migrateDatabase(store);
    return await fn(store);
  } finally {
    await store.close();
  }
}
