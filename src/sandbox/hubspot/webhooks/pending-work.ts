/**
 * Counts webhook work not yet finished (queued events, deliveries in flight,
 * retries waiting) so `drain()` can wait for all of it, and `close()` can
 * cancel timers and abort requests.
 */
export class PendingWork {
  private count = 0;
  private waiters: Array<() => void> = [];
  private readonly timers = new Map<NodeJS.Timeout, () => void>();
  private readonly abort = new AbortController();

  get signal(): AbortSignal {
    return this.abort.signal;
  }

  get closed(): boolean {
    return this.abort.signal.aborted;
  }

  pending(): number {
    return this.count;
  }

  begin(): void {
    this.count++;
  }

  end(): void {
    this.count--;
    if (this.count === 0) {
      const waiters = this.waiters;
      this.waiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  /** Counts `work` as pending until it settles. */
  async track<T>(work: () => Promise<T>): Promise<T> {
    this.begin();
    try {
      return await work();
    } finally {
      this.end();
    }
  }

  /** Runs `fn` after `ms`, pending meanwhile; on close it runs `onCancel` instead. */
  schedule(ms: number, fn: () => void, onCancel: () => void = () => undefined): void {
    if (this.closed) {
      onCancel();
      return;
    }
    this.begin();
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      try {
        fn();
      } finally {
        this.end();
      }
    }, ms);
    this.timers.set(timer, onCancel);
  }

  /** Resolves true after `ms`, or false at once if the work is closed meanwhile. */
  delay(ms: number): Promise<boolean> {
    return new Promise((resolve) => this.schedule(ms, () => resolve(true), () => resolve(false)));
  }

  drain(): Promise<void> {
    if (this.count === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  close(): void {
    this.abort.abort();
    for (const [timer, onCancel] of this.timers) {
      clearTimeout(timer);
      this.timers.delete(timer);
      onCancel();
      this.end();
    }
  }
}
