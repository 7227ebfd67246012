/**
 * Reads Reelay's database from outside the service, while it runs and
 * between its deaths: SQLite opened read-only (WAL lets a reader sit beside
 * the writer), PostgreSQL through a small pool. Never writes, never leases.
 */
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { liveStates } from '../../src/core/states.js';
import type { Database, RenderRow, TimelineRow } from '../../src/store/schema.js';

export interface StoreReader {
  /** Renders a worker still has to act on, and CRM writes not yet sent. */
  pendingWork(): Promise<{ live: number; writes: number }>;
  countsByState(): Promise<Record<string, number>>;
  renders(): Promise<RenderRow[]>;
  timeline(renderId: number): Promise<TimelineRow[]>;
  close(): Promise<void>;
}

export function openStoreReader(databaseUrl: string): StoreReader {
  const db = databaseUrl.startsWith('sqlite:')
    ? new Kysely<Database>({
        dialect: new SqliteDialect({ database: new SQLite(databaseUrl.slice('sqlite:'.length), { readonly: true, fileMustExist: true, timeout: 5_000 }) }),
      })
    : new Kysely<Database>({
        dialect: new PostgresDialect({
          pool: new pg.Pool({
            connectionString: databaseUrl,
            max: 2,
            types: { getTypeParser: (oid: number, format?: 'text' | 'binary') => (oid === 20 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text')) },
          }),
        }),
      });

  return {
    async pendingWork() {
      const live = await db
        .selectFrom('renders')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('state', 'in', [...liveStates])
        .executeTakeFirstOrThrow();
      const writes = await db.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      return { live: Number(live.n), writes: Number(writes.n) };
    },
    async countsByState() {
      const rows = await db.selectFrom('renders').select(['state', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('state').execute();
      return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
    },
    renders: () => db.selectFrom('renders').selectAll().orderBy('id').execute(),
    timeline: (renderId) => db.selectFrom('render_timeline').selectAll().where('render_id', '=', renderId).orderBy('id').execute(),
    close: () => db.destroy(),
  };
}
