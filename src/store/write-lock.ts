/**
 * Taking SQLite's write lock at BEGIN without stopping the event loop.
 *
 * Another connection may hold the lock for a few milliseconds: the WAL
 * checkpoint thread while its RESTART copies the last frames (every few
 * hundred milliseconds under steady writes), `reelay serve --role worker`
 * beside `--role web`, a `reelay retry` from a shell. With `busy_timeout`
 * SQLite waits inside the call, sleeping 1, 2, 5, 10, 15, 20 ms... between
 * tries: the whole process stands still meanwhile (webhooks are neither read
 * nor answered) and a lock held for 9 ms costs 18. Here BEGIN IMMEDIATE is
 * tried with no wait; when the lock is taken, the caller awaits a
 * millisecond (other requests run meanwhile and join the next group
 * commit) and tries again, until `timeoutMs`, then fails as `busy_timeout`
 * would ("database is locked").
 */
import type SQLite from 'better-sqlite3';

export interface WriteLockOptions {
  /** How long to keep trying before failing with SQLITE_BUSY (the connection's `busy_timeout`). */
  timeoutMs: number;
  /** The connection's `busy_timeout`, restored after each try (autocommit statements still wait inside SQLite). */
  busyTimeoutMs: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** Waits between two tries: short first (a checkpoint's hold is a few ms), then longer. */
const RETRY_MS = [1, 1, 1, 1, 1, 2, 2, 2, 5] as const;

export function writeLock(sqlite: SQLite.Database, opts: WriteLockOptions): { begin(): Promise<void> } {
  const begin = sqlite.prepare('BEGIN IMMEDIATE');
  // Run through `exec()` each time: SQLite applies `PRAGMA busy_timeout = N`
  // when the statement is prepared, not when it runs, so a prepared one
  // cannot be reused; `exec()` prepares and runs it inside the native call
  // (about 0.6 µs here, against 2.7 µs for `pragma()`, which builds a
  // statement object and reads back its rows), and this runs twice per BEGIN.
  const waitFor = Math.floor(opts.busyTimeoutMs);
  const noWait = () => sqlite.exec('PRAGMA busy_timeout = 0');
  const wait = () => sqlite.exec(`PRAGMA busy_timeout = ${waitFor}`);
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));

  return {
    async begin() {
      const deadline = now() + opts.timeoutMs;
      for (let attempt = 0; ; attempt++) {
        const last = now() >= deadline;
        noWait();
        try {
          begin.run();
          return;
        } catch (err) {
          if (last || (err as { code?: string }).code !== 'SQLITE_BUSY') throw err;
        } finally {
          wait();
        }
        await sleep(RETRY_MS[Math.min(attempt, RETRY_MS.length - 1)] as number);
      }
    },
  };
}
