import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BackgroundCheckpoints } from '../../src/store/background-checkpoints.js';
import { openStore } from '../../src/store/db.js';
import { migrate } from '../../src/store/migrate.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'reelay-checkpoints-'));
  dirs.push(dir);
  return join(dir, 'reelay.db');
}

/** A WAL-mode connection that never checkpoints by itself, with a table of 400-byte rows. */
function serving(file: string): SQLite.Database {
  const db = new SQLite(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('wal_autocheckpoint = 0');
  db.exec('create table rows (id integer primary key, body text not null)');
  return db;
}

function commitRows(db: SQLite.Database, transactions: number): void {
  const insert = db.prepare('insert into rows (body) values (?)');
  for (let t = 0; t < transactions; t++) db.transaction(() => { for (let i = 0; i < 50; i++) insert.run('x'.repeat(400)); })();
}

describe('BackgroundCheckpoints: WAL checkpoints off the serving thread', () => {
  it('copies what the serving connection committed into the database file, which that connection never does itself', async () => {
    const file = tempFile();
    const db = serving(file);
    const before = statSync(file).size;
    const fallback = vi.fn();
    const checkpoints = new BackgroundCheckpoints(file, fallback, { intervalMs: 5 });
    try {
      commitRows(db, 40);
      // Only a checkpoint writes pages into the main file (the rows are about 800 kB).
      await vi.waitFor(() => expect(statSync(file).size).toBeGreaterThan(before + 500_000), { timeout: 10_000, interval: 10 });
      expect(db.prepare('select count(*) as n from rows').get()).toEqual({ n: 2_000 });
    } finally {
      await checkpoints.stop();
      db.close();
    }
    expect(fallback).not.toHaveBeenCalled();
  });

  it('keeps the WAL from growing with every round of commits, even when the writer never pauses for a checkpoint to catch up', async () => {
    const file = tempFile();
    const db = serving(file);
    const checkpoints = new BackgroundCheckpoints(file, () => undefined, { intervalMs: 5, restartAfterPages: 300 });
    try {
      commitRows(db, 40);
      const oneRound = statSync(`${file}-wal`).size;
      for (let round = 1; round <= 20; round += 1) {
        // Each round adds about 900 kB to the database file once the thread
        // has copied it there; the next commit then starts the WAL again from the top.
        await vi.waitFor(() => expect(statSync(file).size).toBeGreaterThan(round * 800_000), { timeout: 10_000, interval: 10 });
        commitRows(db, 40);
      }
      // The WAL file keeps the largest size it reached. Without the thread it
      // would hold all 21 rounds; with PASSIVE checkpoints alone, which race
      // the writer, it held 16-18 (three runs). With a RESTART past 300 pages
      // (a round is about 340) it held 3.7-4.6: the pages before a RESTART,
      // and the rounds the writer committed before the thread's next tick got
      // the lock, a race that a busy machine makes longer. (A bound of four
      // rounds out of eleven failed once in six runs on an idle machine.)
      expect(statSync(`${file}-wal`).size).toBeLessThan(oneRound * 8);
      expect(db.prepare('select count(*) as n from rows').get()).toEqual({ n: 42_000 });
    } finally {
      await checkpoints.stop();
      db.close();
    }
  });

  it('a thread that cannot work hands checkpoints back to the connection, and says why', async () => {
    const file = join(tempFile(), 'missing', 'reelay.db');
    const fallback = vi.fn();
    const stopped = vi.fn();
    const checkpoints = new BackgroundCheckpoints(file, fallback, { onStopped: stopped });
    await vi.waitFor(() => expect(fallback).toHaveBeenCalledTimes(1), { timeout: 10_000 });
    expect(stopped).toHaveBeenCalledWith(expect.any(Error));
    await checkpoints.stop();
    expect(fallback).toHaveBeenCalledTimes(1);
  });

  it('a store opened for serving checkpoints in the background and, closed, leaves no WAL behind', async () => {
    const file = tempFile();
    const store = openStore(`sqlite:${file}`, { checkpoints: 'background' });
    await migrate(store);
    await store.db.insertInto('meta').values({ key: 'probe', value: 'x', updated_at: 0 }).execute();
    await store.close();
    // The serving connection was the last one open: closing it checkpointed and removed the WAL.
    expect(existsSync(`${file}-wal`)).toBe(false);
    const reopened = openStore(`sqlite:${file}`);
    try {
      expect(await reopened.db.selectFrom('meta').select('value').where('key', '=', 'probe').executeTakeFirst()).toEqual({ value: 'x' });
    } finally {
      await reopened.close();
    }
  });
});
