/**
 * Group commit: writes asked for in the same turn of the event loop share
 * one transaction (and one flush to disk) instead of one each. Callers
 * still write one item and wait for its own result; `commit` gets the
 * queued items in order and answers one result per item.
 *
 * Used for webhook intake (`engine/intake.ts`: concurrent requests) and
 * for render transitions (`engine/lifecycle.ts`: a stage moving a batch of
 * renders at once).
 */
export interface GroupCommitOptions<T> {
  /** Most items per transaction, by weight. */
  maxBatch: number;
  /** An item's weight (default 1; intake weighs a request by its events). */
  weight?: (item: T) => number;
}

interface Pending<T, R> {
  item: T;
  resolve(result: R): void;
  reject(err: unknown): void;
}

export class GroupCommit<T, R> {
  private queue: Pending<T, R>[] = [];
  private flushing = false;

  constructor(
    private readonly commit: (items: T[]) => Promise<R[]>,
    private readonly opts: GroupCommitOptions<T>,
  ) {}

  /** Resolves with the item's result once its batch is committed. */
  write(item: T): Promise<R> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        void this.flush();
      }
    });
  }

  private async flush(): Promise<void> {
    const weight = this.opts.weight ?? (() => 1);
    while (this.queue.length > 0) {
      // Let the writes asked for in the same turn of the event loop join, and
      // let waiting I/O (webhook requests) run between two batches: on SQLite a
      // transaction runs without yielding to the event loop.
      await new Promise((r) => setImmediate(r));
      const batch: Pending<T, R>[] = [];
      let size = 0;
      while (
        this.queue.length > 0 &&
        (batch.length === 0 || size < this.opts.maxBatch)
      ) {
        const next = this.queue.shift() as Pending<T, R>;
        batch.push(next);
        size += weight(next.item);
      }
      try {
        const results = await this.commit(batch.map((p) => p.item));
        batch.forEach((pending, i) => pending.resolve(results[i] as R));
      } catch (err) {
        for (const pending of batch) pending.reject(err);
      }
    }
    this.flushing = false;
  }
}
