/**
 * A rolling-window limiter: never more than `limit` requests in any span of
 * `windowMs`, as HubSpot counts them (TEN_SECONDLY_ROLLING).
 *
 * A token bucket that refills continuously can exceed a rolling window, and
 * so can a log of *send* times: the provider counts arrival times, which lie
 * anywhere between our send and its answer. So a request holds its slot from
 * the moment it is sent until `windowMs` after its answer arrived. Proof
 * sketch: take any provider window holding requests; the last one sent, X,
 * arrived inside it, so every other request in it arrived after
 * `arrival(X) - windowMs >= send(X) - windowMs`, hence was answered after
 * that, hence still held its slot when X was sent. X was only sent if fewer
 * than `limit` slots were held, so the window holds at most `limit`.
 */
import type { Clock } from '../core/clock.js';
import type { RateWindow, WindowUsage } from './hubspot-budget.js';

export interface Slot {
  /** Call when the answer arrived (or the request failed). */
  done(): void | Promise<void>;
}

export class RollingWindowLimiter implements RateWindow {
  private inFlight = 0;
  /** Times at which held slots free up, ascending. */
  private releases: number[] = [];
  /** Slots the provider told us are used by someone else (another instance, another integration). */
  private borrowed: number[] = [];
  private blockedUntil = 0;
  /**
   * A process that just started does not know what its predecessor spent in
   * the current window: until the provider's first answer (whose headers say
   * what remains), one request at a time.
   */
  private calibrated = false;

  constructor(
    private limit: number,
    readonly windowMs: number,
    private readonly clock: Clock,
  ) {}

  /** Slots held right now (in flight or answered within the window). */
  used(now = this.clock.now()): number {
    this.expire(now);
    return this.inFlight + this.releases.length + this.borrowed.length;
  }

  usage(): WindowUsage {
    return { used: this.used(), limit: this.limit };
  }

  /** Zero when a slot is free now, else how long to wait before asking again. */
  waitTime(): number {
    const now = this.clock.now();
    if (now < this.blockedUntil) return this.blockedUntil - now;
    if (!this.calibrated && this.inFlight > 0) return 5;
    if (this.used(now) < this.limit) return 0;
    const next = Math.min(this.releases[0] ?? Infinity, this.borrowed[0] ?? Infinity);
    // Everything held is in flight: ask again shortly.
    return Number.isFinite(next) ? Math.max(1, next - now) : 10;
  }

  /** Take a slot now, or learn how long to wait before asking again. */
  tryAcquire(): { slot: Slot } | { waitMs: number } {
    const waitMs = this.waitTime();
    if (waitMs > 0) return { waitMs };
    this.inFlight += 1;
    let finished = false;
    return {
      slot: {
        done: () => {
          if (finished) return;
          finished = true;
          this.calibrated = true;
          this.inFlight -= 1;
          insertSorted(this.releases, this.clock.now() + this.windowMs);
        },
      },
    };
  }

  /**
   * The provider said how many requests remain in its window. If that is
   * fewer than we think, someone else spends the same budget: hold the
   * difference as borrowed slots for one window.
   */
  observeRemaining(remaining: number, max?: number): void {
    this.calibrated = true;
    const now = this.clock.now();
    if (max !== undefined && max > 0 && max < this.limit) this.limit = max;
    const ourFree = this.limit - this.used(now);
    const missing = ourFree - remaining;
    for (let i = 0; i < missing; i += 1) insertSorted(this.borrowed, now + this.windowMs);
  }

  /** The provider refused with a rate-limit answer: stop everything for `ms`. */
  block(ms: number): void {
    this.blockedUntil = Math.max(this.blockedUntil, this.clock.now() + ms);
  }

  private expire(now: number): void {
    while (this.releases.length > 0 && (this.releases[0] as number) <= now) this.releases.shift();
    while (this.borrowed.length > 0 && (this.borrowed[0] as number) <= now) this.borrowed.shift();
  }
}

function insertSorted(list: number[], value: number): void {
  let i = list.length;
  while (i > 0 && (list[i - 1] as number) > value) i -= 1;
  list.splice(i, 0, value);
}
