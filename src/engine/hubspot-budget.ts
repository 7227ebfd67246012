/**
 * HubSpot's request budget for one app: the rolling 10-second burst, the
 * daily cap, and search's own per-second limit (which sends no headers).
 * Every HubSpot call goes through `run`, which waits for a slot first.
 */
import type { Clock } from '../core/clock.js';
import { RollingWindowLimiter, type Slot } from './rolling-window.js';

export interface HubSpotBudgetOptions {
  burst: number;
  daily: number;
  searchPerSecond: number;
  clock: Clock;
  sleep?: (ms: number) => Promise<void>;
}

export type BudgetLane = 'api' | 'search';

export class HubSpotBudget {
  readonly api: RollingWindowLimiter;
  readonly search: RollingWindowLimiter;
  private dailyRemaining: number | undefined;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly opts: HubSpotBudgetOptions) {
    this.api = new RollingWindowLimiter(opts.burst, 10_000, opts.clock);
    this.search = new RollingWindowLimiter(opts.searchPerSecond, 1_000, opts.clock);
    this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  /** Runs `call` when the lane has room; the slot is held until `windowMs` after it finished. */
  async run<T>(lane: BudgetLane, call: () => Promise<T>): Promise<T> {
    const slot = await this.acquire(lane === 'api' ? this.api : this.search);
    try {
      return await call();
    } finally {
      slot.done();
    }
  }

  /** Read the `X-HubSpot-RateLimit-*` headers of an answer. */
  observe(headers: Headers): void {
    const remaining = headerNumber(headers, 'x-hubspot-ratelimit-remaining');
    const max = headerNumber(headers, 'x-hubspot-ratelimit-max');
    if (remaining !== undefined) this.api.observeRemaining(remaining, max);
    const daily = headerNumber(headers, 'x-hubspot-ratelimit-daily-remaining');
    if (daily !== undefined) this.dailyRemaining = daily;
  }

  /** A 429 arrived: hold the lane named by its policy. */
  rateLimited(policy: string | undefined, retryAfterMs: number | undefined): void {
    if (policy === 'SECONDLY') this.search.block(retryAfterMs ?? 1_000);
    else if (policy === 'DAILY') this.api.block(retryAfterMs ?? msUntilUtcMidnight(this.opts.clock.now()));
    else this.api.block(retryAfterMs ?? this.api.windowMs);
  }

  /** What HubSpot last said of the daily budget (undefined before the first answer). */
  get dailyLeft(): number | undefined {
    return this.dailyRemaining;
  }

  private async acquire(limiter: RollingWindowLimiter): Promise<Slot> {
    for (;;) {
      const got = limiter.tryAcquire();
      if ('slot' in got) return got.slot;
      await this.sleep(got.waitMs);
    }
  }
}

function headerNumber(headers: Headers, name: string): number | undefined {
  const raw = headers.get(name);
  if (raw === null) return undefined;
  const n = Number(raw);
  return Number.isFinite(n) ? n : undefined;
}

function msUntilUtcMidnight(now: number): number {
  const d = new Date(now);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1) - now;
}
