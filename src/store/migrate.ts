import type { Store } from './db.js';
import { createMigrator, latestMigration } from './migrations/index.js';

export interface MigrationResult {
  applied: string[];
}

/** Applies pending migrations; safe to call from several processes at once. */
export async function migrate(store: Store): Promise<MigrationResult> {
  const migrator = createMigrator(store.db as never, store.dialect);
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(`migration ${failed ?? '(unknown)'} failed: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}

/** True when the database answers and every migration is applied (readiness). */
export async function isMigrated(store: Store): Promise<boolean> {
  const migrator = createMigrator(store.db as never, store.dialect);
  const all = await migrator.getMigrations();
  const last = all.find((m) => m.name === latestMigration);
  return last?.executedAt !== undefined;
}
