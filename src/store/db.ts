/**
 * Opens the store: SQLite (better-sqlite3, the default) or PostgreSQL (pg),
 * both behind one Kysely instance so every query is written once.
 */
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, SqliteDriver, type Driver, type SqliteDialectConfig } from 'kysely';
import type PgModule from 'pg';
import type { Database } from './schema.js';
import { BackgroundCheckpoints } from './background-checkpoints.js';
import { WalSync } from './wal-sync.js';
import { writeLock } from './write-lock.js';

export type Dialect = 'sqlite' | 'postgres';

export interface Store {
  db: Kysely<Database>;
  dialect: Dialect;
  /** Human description without credentials, for logs. */
  describe: string;
  /**
   * Resolves once every commit made so far is on disk, even against a power
   * cut: on SQLite the WAL is flushed on a thread-pool thread (`WalSync`);
   * PostgreSQL commits are durable when they return.
   */
  flushCommits(): Promise<void>;
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  /** PostgreSQL pool size per process. */
  poolSize?: number;
  /**
   * SQLite: where WAL checkpoints run. `automatic` (the default, for one-shot
   * commands): inside the commit that fills the WAL, as SQLite does it.
   * `background` (long-running `serve`): on a thread of their own
   * (`BackgroundCheckpoints`), so no commit stops the event loop for one.
   */
  checkpoints?: 'automatic' | 'background';
  /** Told when the background checkpoint thread stopped on its own (SQLite's automatic checkpoints are back on by then). */
  onCheckpointsStopped?: (err: Error) => void;
  /** SQLite: told the duration of each flush of the WAL to disk, in seconds (what every durable commit waits for). */
  onWalFlush?: (seconds: number) => void;
}

export function openStore(databaseUrl: string, opts: OpenStoreOptions = {}): Store {
  if (databaseUrl.startsWith('sqlite:')) return openSqlite(databaseUrl.slice('sqlite:'.length), opts);
  if (databaseUrl.startsWith('postgres://') || databaseUrl.startsWith('postgresql://')) {
    return openPostgres(databaseUrl, opts.poolSize ?? 10);
  }
  throw new Error(`DATABASE_URL must start with sqlite: or postgres:// (got ${databaseUrl.split(':')[0]}:)`);
}

/**
 * A transaction whose commit is on disk before it returns, even against a
 * power cut (`Store.flushCommits`: on SQLite the WAL is flushed off the
 * main thread, so a flush never stops the event loop, and concurrent
 * callers share one; PostgreSQL commits are always durable).
 */
export async function durableTransaction<T>(store: Store, fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  const result = await store.db.transaction().execute(fn);
  await store.flushCommits();
  return result;
}

/** The store seen from inside one of its transactions: store operations given it run in `trx`. */
export function inTransaction(store: Store, trx: Kysely<Database>): Store {
  return { ...store, db: trx };
}

function openSqlite(path: string, opts: OpenStoreOptions): Store {
  const file = path === '' ? ':memory:' : path;
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  // WAL lets readers run beside the single writer. NORMAL survives a crash
  // of the process (kill -9) but may lose the last commits to a power cut;
  // the commits that must survive even that (inbound events before their
  // 2xx, the write-ahead before paying HeyGen) use `durableTransaction`,
  // which flushes the WAL afterwards without blocking (`WalSync`).
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  sqlite.pragma('foreign_keys = ON');
  // Statement journals in memory: a write to `renders` fires the render
  // statistics' triggers, so each such statement keeps one, and in a temp
  // file it cost 20-90 µs a statement (measured; in memory 2-8 µs).
  sqlite.pragma('temp_store = MEMORY');
  // A page cache of 4 MB. better-sqlite3 builds SQLite with 16 MB per
  // connection (SQLite's own default is 2 MB), which a burst fills with
  // pages it writes once: heaptrack found 10 MB of it at the peak of a
  // 3,000-contact burst. A page outside the cache is one read from the
  // operating system's file cache.
  sqlite.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
  // The planner's statistics for tables that never had any, or have grown
  // tenfold since (SQLite's advice for long-lived connections; housekeeping
  // repeats it, `store/refresh-planner-stats.ts`). Quick when they are current.
  try {
    sqlite.pragma('optimize = 0x10002');
  } catch {
    // Another process held the write lock past busy_timeout: housekeeping tries again.
  }
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: cachedStatements(sqlite, STATEMENT_CACHE) }, writeLock(sqlite, { timeoutMs: BUSY_TIMEOUT_MS, busyTimeoutMs: BUSY_TIMEOUT_MS })) });
  const wal = file === ':memory:' ? undefined : new WalSync(`${file}-wal`, undefined, opts.onWalFlush);
  let checkpointer: BackgroundCheckpoints | undefined;
  if (opts.checkpoints === 'background' && file !== ':memory:') {
    sqlite.pragma('wal_autocheckpoint = 0');
    checkpointer = new BackgroundCheckpoints(file, () => sqlite.pragma(`wal_autocheckpoint = ${SQLITE_AUTOCHECKPOINT_PAGES}`), {
      ...(opts.onCheckpointsStopped ? { onStopped: opts.onCheckpointsStopped } : {}),
    });
  }
  return {
    db,
    dialect: 'sqlite',
    describe: `sqlite:${file}`,
    flushCommits: () => wal?.flush() ?? Promise.resolve(),
    close: async () => {
      await checkpointer?.stop();
      await wal?.close();
      await db.destroy();
    },
  };
}

/** pg is loaded only when PostgreSQL is used (it is CommonJS, so `require` keeps `openStore` synchronous); a SQLite process is spared its memory. */
const requirePg = (): typeof PgModule => createRequire(import.meta.url)('pg') as typeof PgModule;

function openPostgres(url: string, poolSize: number): Store {
  const pg = requirePg();
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 5_000,
    // int8 (epoch ms, ids) back as numbers: every value we store fits in 2^53.
    types: {
      getTypeParser: (oid: number, format?: 'text' | 'binary') =>
        oid === 20 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text'),
    },
  });
  // A dropped connection (failover, restart, network) must not crash the
  // process: the query in flight fails and is retried by its caller, and the
  // pool replaces the connection. Idle clients report through the pool,
  // checked-out ones through their own 'error' event.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const parsed = new URL(url);
  return {
    db,
    dialect: 'postgres',
    describe: `postgres://${parsed.host}${parsed.pathname}`,
    flushCommits: () => Promise.resolve(),
    close: () => db.destroy(),
  };
}

/** How long a statement waits for another connection's write lock before failing with "database is locked". */
const BUSY_TIMEOUT_MS = 5000;

/** SQLite's default `wal_autocheckpoint`, restored if the checkpoint thread stops. */
const SQLITE_AUTOCHECKPOINT_PAGES = 1000;

/** SQLite's page cache per connection, in KiB (see `openSqlite`). */
const PAGE_CACHE_KIB = 4000;

/** Prepared statements kept per SQLite connection (distinct SQL texts: a few hundred at most, multi-row inserts vary by row count). */
const STATEMENT_CACHE = 256;

/**
 * The connection as Kysely sees it, with its prepared statements reused:
 * Kysely prepares every query afresh, and under load compiling the same SQL
 * again cost as much as running it (measured in the intake benchmark). The
 * cache is bounded (least recently used goes first). Kysely runs one query
 * at a time on the connection, so a statement is never in use twice.
 */
function cachedStatements(sqlite: SQLite.Database, max: number): { prepare(sql: string): SQLite.Statement; close(): void } {
  const statements = new Map<string, SQLite.Statement>();
  return {
    prepare(text: string) {
      const cached = statements.get(text);
      if (cached) {
        statements.delete(text);
        statements.set(text, cached);
        return cached;
      }
      const statement = sqlite.prepare(text);
      statements.set(text, statement);
      if (statements.size > max) statements.delete(statements.keys().next().value as string);
      return statement;
    },
    close: () => sqlite.close(),
  };
}

/**
 * SQLite transactions that read and then write must take the write lock at
 * BEGIN: a deferred transaction that upgrades later fails at once with
 * "database is locked" when another process (`reelay retry` beside `serve`)
 * wrote meanwhile, instead of waiting for `busy_timeout`. The lock is waited
 * for with the event loop running (`write-lock.ts`).
 */
class ImmediateSqliteDialect extends SqliteDialect {
  constructor(
    config: SqliteDialectConfig,
    private readonly lock: { begin(): Promise<void> },
  ) {
    super(config);
  }

  override createDriver(): Driver {
    const driver = super.createDriver() as SqliteDriver;
    driver.beginTransaction = () => this.lock.begin();
    return driver;
  }
}
