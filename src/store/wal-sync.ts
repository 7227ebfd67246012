/**
 * Durable SQLite commits without blocking the event loop.
 *
 * better-sqlite3 is synchronous: a commit under `synchronous = FULL` waits
 * for the disk's fdatasync (about 0.7 ms here) with the whole process
 * stopped, webhook requests included. Instead, every commit runs under
 * `NORMAL` (the commit's frames are written to the WAL, not yet flushed),
 * and a caller that needs its commit on disk awaits `flush()`, which
 * fdatasyncs the WAL file on libuv's thread pool. That is what `FULL` does
 * in WAL mode ("the WAL file is synchronized after each transaction
 * commit"), done off the main thread; what a checkpoint copies into the
 * database file was already synced by SQLite itself (`NORMAL` syncs the WAL
 * before a checkpoint and the database after it).
 *
 * Flushes are grouped: a flush asked for while one is running waits for
 * the next, which starts when the running one ends and covers every commit
 * made before it started. So concurrent webhooks share one disk flush.
 */
import { open, type FileHandle } from 'node:fs/promises';

/** The part of a file handle a flush uses (a test passes its own). */
export type SyncableFile = Pick<FileHandle, 'datasync' | 'close'>;

export class WalSync {
  private handle: Promise<SyncableFile | null> | undefined;
  private running: Promise<void> | undefined;
  private next: Promise<void> | undefined;

  constructor(
    private readonly walPath: string,
    private readonly openFile: (path: string) => Promise<SyncableFile> = (path) => open(path, 'r'),
    /** Told each flush's duration in seconds (`reelay_sqlite_wal_flush_seconds`): a slow disk shows here, not in the CPU. */
    private readonly observe?: (seconds: number) => void,
  ) {}

  /** Resolves once every commit made before the call is on disk. */
  flush(): Promise<void> {
    if (this.running === undefined) return this.start();
    // The running flush may have started before the caller's commit: wait for
    // the one after it (shared by everyone who asks meanwhile).
    this.next ??= this.running.then(
      () => this.start(),
      () => this.start(),
    );
    return this.next;
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.running, this.next]);
    const handle = this.handle;
    this.handle = undefined;
    await (await handle?.catch(() => null))?.close().catch(() => undefined);
  }

  private start(): Promise<void> {
    this.next = undefined;
    const run = this.sync().finally(() => {
      if (this.running === run) this.running = undefined;
    });
    this.running = run;
    return run;
  }

  private async sync(): Promise<void> {
    // No WAL: nothing was committed through it yet. (While this process's
    // connection is open SQLite never deletes the WAL, so the handle stays
    // the file commits go to.)
    const file = await this.file();
    if (file === null) return;
    const started = performance.now();
    await file.datasync();
    this.observe?.((performance.now() - started) / 1000);
  }

  private file(): Promise<SyncableFile | null> {
    this.handle ??= this.openFile(this.walPath).catch((err: unknown) => {
      this.handle = undefined;
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    });
    return this.handle;
  }
}
