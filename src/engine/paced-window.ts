/**
 * HubSpot calls spread over their window instead of spent at its start.
 *
 * A rolling window alone lets all of `hubspot.burst` go at once. Under
 * steady demand above the budget (intake faster than 100 records a call
 * can enrich, say) that repeats every window: the first second of each 10
 * spends the whole budget, and the work its answers bring (hundreds of
 * records to map and store, each a transition) lands on the event loop
 * together, holding the webhooks behind it for seconds; then nothing for
 * nine seconds. Measured (README, Performance): webhooks at 1,000/s while
 * the workers drain a 10k burst, p99 44-46 ms without pacing and 37-41 ms
 * with it (three runs each, alternating).
 *
 * In front of the window sits a token bucket: a twentieth of the window's
 * limit, and at least 5 calls, may go at once (so a lone trigger, or the
 * few calls of one render, never wait; a limit of 5 or less is not paced
 * at all), and it refills at the rest of the limit per window (95 calls
 * per 10 s for 100), so that the bucket alone never lets more than the
 * limit into any window and the window is not hit by pacing itself. The
 * window still decides (a 429's block, another instance's or integration's
 * use of the same budget). Batching is unchanged: work that waits for a
 * call piles up into that call's batch.
 */
import type { Clock } from '../core/clock.js';
import type { RateWindow, WindowUsage } from './hubspot-budget.js';
import type { Slot } from './rolling-window.js';

export class PacedWindow implements RateWindow {
  private readonly capacity: number;
  /** Tokens per ms. */
  private readonly rate: number;
  private tokens: number;
  private refilledAt: number;

  constructor(
    private readonly inner: RateWindow,
    limit: number,
    private readonly clock: Clock,
  ) {
    this.capacity = Math.max(Math.min(limit, 5), Math.floor(limit / 20));
    this.rate = Math.max(limit - this.capacity, 1) / inner.windowMs;
    this.tokens = this.capacity;
    this.refilledAt = clock.now();
  }

  get windowMs(): number {
    return this.inner.windowMs;
  }

  async tryAcquire(): Promise<{ slot: Slot } | { waitMs: number }> {
    const paced = this.paceWait();
    if (paced > 0) return { waitMs: paced };
    const got = await this.inner.tryAcquire();
    if ('slot' in got) this.tokens -= 1;
    return got;
  }

  async waitTime(): Promise<number> {
    return Math.max(this.paceWait(), await this.inner.waitTime());
  }

  observeRemaining(remaining: number, max?: number): void | Promise<void> {
    return this.inner.observeRemaining(remaining, max);
  }

  block(ms: number): void {
    this.inner.block(ms);
  }

  usage(): WindowUsage | Promise<WindowUsage> {
    return this.inner.usage();
  }

  /** Zero when a token is there, else the ms until one is. */
  private paceWait(): number {
    const now = this.clock.now();
    this.tokens = Math.min(this.capacity, this.tokens + Math.max(0, now - this.refilledAt) * this.rate);
    this.refilledAt = now;
    return this.tokens >= 1 ? 0 : Math.max(1, Math.ceil((1 - this.tokens) / this.rate));
  }
}
