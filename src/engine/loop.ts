/**
 * A worker loop: runs `tick` again at once while it finds work, sleeps
 * `idleMs` (or until woken) when it does not, and stops cleanly: `stop()`
 * waits for the tick in progress. `waitBeforeTick` (webhooks first,
 * `webhooks-first.ts`) may hold each tick back; a wake does not cut that
 * wait short, a stop does.
 */
import type { Logger } from '../observability/logger.js';

export type TickResult = 'busy' | 'idle';

export class Loop {
  private running = false;
  private current: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  private woken = false;
  private endPause: (() => void) | null = null;

  constructor(
    readonly name: string,
    private readonly tick: () => Promise<TickResult>,
    private readonly idleMs: number,
    private readonly log: Logger,
    private readonly waitBeforeTick: () => number = () => 0,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.current = this.run();
  }

  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    this.endPause?.();
    await this.current;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      const wait = this.waitBeforeTick();
      if (wait > 0) await this.pause(wait);
      if (!this.running) break;
      let result: TickResult = 'idle';
      this.woken = false;
      try {
        result = await this.tick();
        failures = 0;
      } catch (err) {
        failures += 1;
        // A database hiccup or a bug: log it and back off; the rows stay leased and come back.
        this.log.error({ err, loop: this.name }, `${this.name} loop failed`);
      }
      if (!this.running) break;
      if (result === 'idle' || failures > 0) await this.sleep(failures > 0 ? Math.min(5_000, this.idleMs * 2 ** failures) : this.idleMs);
      // SQLite calls are synchronous and resolve as microtasks: without a turn
      // of the event loop between busy ticks, webhooks would wait behind them.
      else await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** Like `sleep`, but only `stop()` ends it early. */
  private pause(ms: number): Promise<void> {
    return delay(ms, (end) => (this.endPause = end));
  }

  private sleep(ms: number): Promise<void> {
    if (this.woken) return Promise.resolve();
    return delay(ms, (end) => (this.wakeUp = end));
  }
}

/** Resolves after `ms`, or at once when the function handed to `keepEnd` is called; `keepEnd(null)` once it has ended. */
function delay(ms: number, keepEnd: (end: (() => void) | null) => void): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(end, ms);
    function end(): void {
      clearTimeout(timer);
      keepEnd(null);
      resolve();
    }
    keepEnd(end);
  });
}
