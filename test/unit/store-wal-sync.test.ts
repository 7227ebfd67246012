import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { durableTransaction, openStore } from '../../src/store/db.js';
import { migrate } from '../../src/store/migrate.js';
import { WalSync, type SyncableFile } from '../../src/store/wal-sync.js';

/** A WAL file whose flushes the test finishes by hand, counting them. */
function heldFile(): { file: SyncableFile; started: number; finishNext(): void } {
  const waiting: (() => void)[] = [];
  const state = {
    started: 0,
    finishNext: () => waiting.shift()?.(),
    file: {
      datasync: () => {
        state.started += 1;
        return new Promise<void>((resolve) => waiting.push(resolve));
      },
      close: async () => undefined,
    } as unknown as SyncableFile,
  };
  return state;
}

const settle = () => new Promise((r) => setImmediate(r));

describe('WalSync: durable commits flushed off the event loop', () => {
  it('tells its observer the duration of each flush once the flush has ended', async () => {
    const wal = heldFile();
    const observed: number[] = [];
    const sync = new WalSync('reelay.db-wal', async () => wal.file, (seconds) => observed.push(seconds));
    const flushed = sync.flush();
    await settle();
    expect(observed).toEqual([]);
    wal.finishNext();
    await flushed;
    expect(observed).toHaveLength(1);
    expect(observed[0]).toBeGreaterThanOrEqual(0);
  });

  it('a flush asked for during a running one waits for the next, which every such caller shares', async () => {
    const wal = heldFile();
    const sync = new WalSync('reelay.db-wal', async () => wal.file);
    let firstDone = false;
    let laterDone = 0;
    void sync.flush().then(() => (firstDone = true));
    await settle();
    expect(wal.started).toBe(1);

    // Three commits made while the first flush runs: it may have started
    // before them, so none of them is answered by it.
    for (let i = 0; i < 3; i++) void sync.flush().then(() => (laterDone += 1));
    wal.finishNext();
    await settle();
    expect(firstDone).toBe(true);
    expect(laterDone).toBe(0);
    expect(wal.started).toBe(2);

    wal.finishNext();
    await settle();
    expect(laterDone).toBe(3);
    expect(wal.started).toBe(2);
  });

  it('a failed flush fails its callers, and the next flush tries again', async () => {
    let calls = 0;
    const file = {
      datasync: async () => {
        calls += 1;
        if (calls === 1) throw Object.assign(new Error('EIO: i/o error'), { code: 'EIO' });
      },
      close: async () => undefined,
    } as unknown as SyncableFile;
    const sync = new WalSync('reelay.db-wal', async () => file);
    await expect(sync.flush()).rejects.toThrow('EIO');
    await expect(sync.flush()).resolves.toBeUndefined();
    expect(calls).toBe(2);
  });

  it('no WAL file yet means nothing to flush', async () => {
    const sync = new WalSync('/nonexistent/reelay.db-wal');
    await expect(sync.flush()).resolves.toBeUndefined();
  });
});

describe('durable transactions wait for the flush', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a durable transaction answers only once its commit is flushed, and a failed flush fails it', async () => {
    dir = mkdtempSync(join(tmpdir(), 'reelay-wal-'));
    const opened = openStore(`sqlite:${join(dir, 'reelay.db')}`);
    let release: (() => void) | undefined;
    let fail: ((err: Error) => void) | undefined;
    const store = {
      ...opened,
      flushCommits: () =>
        new Promise<void>((resolve, reject) => {
          release = resolve;
          fail = reject;
        }),
    };
    try {
      await migrate(opened);
      let answered = false;
      const write = durableTransaction(store, (trx) => trx.insertInto('meta').values({ key: 'probe', value: '1', updated_at: 1 }).execute()).then(() => (answered = true));
      await new Promise((r) => setTimeout(r, 20));
      // Committed (another reader sees it), but not yet on disk: no answer yet.
      expect((await opened.db.selectFrom('meta').select('value').where('key', '=', 'probe').executeTakeFirst())?.value).toBe('1');
      expect(answered).toBe(false);
      release?.();
      await write;
      expect(answered).toBe(true);

      const failing = durableTransaction(store, (trx) => trx.insertInto('meta').values({ key: 'probe2', value: '2', updated_at: 1 }).execute());
      await new Promise((r) => setTimeout(r, 20));
      fail?.(new Error('EIO: i/o error, fdatasync'));
      await expect(failing).rejects.toThrow('EIO');
    } finally {
      await opened.close();
    }
  });

  it('a real SQLite store flushes its WAL (concurrent callers share flushes)', async () => {
    dir = mkdtempSync(join(tmpdir(), 'reelay-wal-'));
    const store = openStore(`sqlite:${join(dir, 'reelay.db')}`);
    try {
      await migrate(store);
      await durableTransaction(store, (trx) => trx.insertInto('meta').values({ key: 'probe', value: '1', updated_at: 1 }).execute());
      await Promise.all([store.flushCommits(), store.flushCommits(), store.flushCommits()]);
      const row = await store.db.selectFrom('meta').select('value').where('key', '=', 'probe').executeTakeFirst();
      expect(row?.value).toBe('1');
    } finally {
      await store.close();
    }
  });
});
