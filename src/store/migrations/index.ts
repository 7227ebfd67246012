/**
 * Migrations, one source for both dialects. Kysely's migrator takes a lock
 * while it runs (an advisory lock on PostgreSQL), so several instances
 * starting at once apply each migration exactly once.
 */
import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { Dialect } from '../db.js';
import * as m001 from './001-initial.js';
import * as m002 from './002-rate-slots.js';
import * as m003 from './003-render-scope.js';
import * as m004 from './004-journal-cursor.js';
import * as m005 from './005-render-plan.js';
import * as m006 from './006-typed-effects.js';
import * as m007 from './007-thumbnails.js';
import * as m008 from './008-engagement.js';
import * as m009 from './009-review.js';
import * as m010 from './010-budgets.js';
import * as m012 from './012-privacy.js';
import * as m013 from './013-dashboard.js';
import * as m014 from './014-render-stats.js';
import * as m015 from './015-drop-redundant-index.js';

export interface MigrationContext {
  dialect: Dialect;
}

type MigrationModule = { up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> };

const migrations: Record<string, MigrationModule> = {
  '001-initial': m001,
  '002-rate-slots': m002,
  '003-render-scope': m003,
  '004-journal-cursor': m004,
  '005-render-plan': m005,
  '006-typed-effects': m006,
  '007-thumbnails': m007,
  '008-engagement': m008,
  '009-review': m009,
  '010-budgets': m010,
  '012-privacy': m012,
  '013-dashboard': m013,
  '014-render-stats': m014,
  '015-drop-redundant-index': m015,
};

export const latestMigration = Object.keys(migrations).sort().at(-1) ?? '';

function provider(ctx: MigrationContext): MigrationProvider {
  return {
    async getMigrations() {
      const out: Record<string, Migration> = {};
      for (const [name, mod] of Object.entries(migrations)) {
        out[name] = { up: (db) => mod.up(db, ctx) };
      }
      return out;
    },
  };
}

export function createMigrator(db: Kysely<unknown>, dialect: Dialect): Migrator {
  return new Migrator({
    db,
    provider: provider({ dialect }),
    migrationTableName: 'reelay_migrations',
    migrationLockTableName: 'reelay_migrations_lock',
  });
}
