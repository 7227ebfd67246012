import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/db.js';
import { migrate } from '../../src/store/migrate.js';
import { setMeta, getMeta } from '../../src/store/meta.js';
import { writeLock } from '../../src/store/write-lock.js';
import { tempDir, type TempDir } from '../helpers/cli.js';

const dirs: TempDir[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) dir.remove();
});

function tempFile(): string {
  const dir = tempDir('reelay-write-lock-');
  dirs.push(dir);
  return join(dir.path, 'reelay.db');
}

/** Another connection to the same file (the checkpoint thread, `--role worker`, a CLI command), holding the write lock. */
function holder(file: string): SQLite.Database {
  const other = new SQLite(file);
  other.pragma('journal_mode = WAL');
  other.exec('BEGIN IMMEDIATE');
  return other;
}

describe('SQLite write lock: waited for with the event loop running', () => {
  it('lets other work run while another connection holds the lock, then commits once it is released', async () => {
    const file = tempFile();
    const store: Store = openStore(`sqlite:${file}`);
    await migrate(store);
    const other = holder(file);
    try {
      const write = store.db.transaction().execute((trx) => setMeta({ ...store, db: trx }, 'probe', 'written', 1));
      let settled = false;
      void write.then(() => (settled = true), () => (settled = true));
      // Timers fire while the write waits: the process is not stopped inside SQLite.
      for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 2));
      expect(settled).toBe(false);
      other.exec('COMMIT');
      await write;
      expect(await getMeta(store, 'probe')).toBe('written');
    } finally {
      other.close();
      await store.close();
    }
  });

  it('fails with "database is locked" once the lock was held past the timeout, and the connection stays usable', async () => {
    const file = tempFile();
    const sqlite = new SQLite(file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.exec('create table t (v integer)');
    const other = holder(file);
    let clock = 0;
    const sleeps: number[] = [];
    const lock = writeLock(sqlite, {
      timeoutMs: 100,
      busyTimeoutMs: 5000,
      now: () => clock,
      sleep: async (ms) => {
        sleeps.push(ms);
        clock += ms;
      },
    });
    try {
      await expect(lock.begin()).rejects.toMatchObject({ code: 'SQLITE_BUSY' });
      // It kept trying until the deadline, a few milliseconds apart.
      expect(sleeps.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(100);
      expect(Math.max(...sleeps)).toBeLessThanOrEqual(5);
      // The connection's own busy_timeout is back for autocommit statements.
      expect(sqlite.pragma('busy_timeout', { simple: true })).toBe(5000);
      other.exec('COMMIT');
      await lock.begin();
      sqlite.exec('insert into t values (1); COMMIT');
      expect(sqlite.prepare('select count(*) from t').pluck().get()).toBe(1);
    } finally {
      other.close();
      sqlite.close();
    }
  });
});
