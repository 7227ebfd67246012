/**
 * WAL checkpoints on a thread of their own.
 *
 * SQLite copies the WAL back into the database file (a checkpoint) from
 * inside whichever commit crosses `wal_autocheckpoint` pages: that commit
 * then also fsyncs the WAL and the database file, with the event loop
 * stopped. Measured on the intake's inserts, checkpoints were most of the
 * cost of a one-event transaction (458 → 190 µs) and its longest stalls
 * (COMMIT up to 11 ms). Here the serving connection never checkpoints
 * (`wal_autocheckpoint = 0`); a worker thread holding its own connection
 * runs a PASSIVE checkpoint every `intervalMs`, which copies what no reader
 * still needs without waiting for anyone. Commits go on meanwhile: in WAL
 * mode a checkpoint and a writer do not block each other, and once a
 * checkpoint has caught up the next commit starts the WAL again from the
 * top. Under commits that never pause, though, a PASSIVE checkpoint may
 * never catch up at the moment a commit starts, and the WAL would then grow
 * without end (its test saw 14 MB after 11 rounds of 1.4 MB): past
 * `restartAfterPages` (4,000 pages, 16 MB; SQLite's own threshold is 1,000)
 * the thread runs a RESTART checkpoint, which holds the writer back for the
 * few frames the PASSIVE one left, so the next commit starts the WAL anew.
 *
 * If the thread ever stops on its own, the connection goes back to SQLite's
 * automatic checkpoints, so the WAL cannot grow without bound.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * The thread's program. Plain CommonJS given as source (`eval`), so it runs
 * the same from `dist/` and from the TypeScript sources under the test
 * runner; the driver's resolved path comes in `workerData`.
 */
const THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('synchronous = NORMAL');
db.pragma('busy_timeout = 1000');
const passive = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
const restart = db.prepare('PRAGMA wal_checkpoint(RESTART)');
const timer = setInterval(() => {
  try {
    const { log } = passive.get();
    if (log > workerData.restartAfterPages) restart.get();
  } catch (err) {
    // SQLITE_BUSY: another connection is checkpointing; the next tick tries again.
    if (err.code !== 'SQLITE_BUSY' && err.code !== 'SQLITE_LOCKED') throw err;
  }
}, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export interface BackgroundCheckpointsOptions {
  /** Time between two checkpoints (a checkpoint with nothing to copy costs microseconds). */
  intervalMs?: number;
  /** WAL size, in pages, past which a checkpoint waits for the writer so the WAL starts again (see the file's comment). */
  restartAfterPages?: number;
  /** Called when the thread stopped on its own (the connection is back on automatic checkpoints by then). */
  onStopped?: (err: Error) => void;
}

export class BackgroundCheckpoints {
  private readonly worker: Worker;
  private stopping = false;
  private readonly exited: Promise<void>;

  /**
   * `fallback` turns SQLite's automatic checkpoints back on for the serving
   * connection; it is called if the thread cannot start or dies.
   */
  constructor(file: string, fallback: () => void, opts: BackgroundCheckpointsOptions = {}) {
    this.worker = new Worker(THREAD_SOURCE, {
      eval: true,
      workerData: {
        file,
        driver: createRequire(import.meta.url).resolve('better-sqlite3'),
        intervalMs: opts.intervalMs ?? 200,
        restartAfterPages: opts.restartAfterPages ?? 4_000,
      },
      // A checkpointer needs little: keep the thread's heap small.
      resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 2 },
    });
    let failure: Error | undefined;
    this.worker.on('error', (err) => {
      failure = err;
    });
    this.exited = new Promise((resolve) => {
      this.worker.once('exit', (code) => {
        if (!this.stopping) {
          fallback();
          opts.onStopped?.(failure ?? new Error(`the checkpoint thread exited with code ${code}`));
        }
        resolve();
      });
    });
  }

  /** Stops the thread after its current checkpoint; resolves once its connection is closed. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.worker.postMessage('stop');
    await this.exited;
  }
}
