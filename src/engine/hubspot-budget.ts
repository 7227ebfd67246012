/**
 * HubSpot's request budget for one app: the rolling 10-second burst, the
 * daily cap (`hubspot.daily`, corrected by `X-HubSpot-RateLimit-Daily-
 * Remaining`; when it is spent, a call fails at once as HubSpot's own DAILY
 * 429 would, without being sent, and the queue pauses until midnight in
 * the account's time zone, as HubSpot resets it; UTC until it is known)
 * and search's own per-second limit (which sends no headers). Every HubSpot
 * call goes through `run`, which waits for a slot first. The windows are
 * in memory for one process (SQLite) or in PostgreSQL, shared by every
 * instance (see `shared-rolling-window.ts`).
 */
import type { Clock } from '../core/clock.js';
import { ProviderError } from '../core/errors.js';
import { isTimeZone, msUntilNextMidnight, zonedDate } from '../core/zoned-day.js';
import type { Slot } from './rolling-window.js';

export interface RateWindow {
  readonly windowMs: number;
  tryAcquire(): { slot: Slot } | { waitMs: number } | Promise<{ slot: Slot } | { waitMs: number }>;
  /** Zero when a slot is free now (without taking it), else how long to wait. */
  waitTime(): number | Promise<number>;
  /** The provider said how many requests remain in its window. */
  observeRemaining(remaining: number, max?: number): void | Promise<void>;
  /** The provider refused with a rate-limit answer: stop for `ms`. */
  block(ms: number): void;
  /** Slots held in the window now and its limit (the dashboard's queue health). */
  usage(): WindowUsage | Promise<WindowUsage>;
}

export interface WindowUsage {
  used: number;
  limit: number;
}

export interface BudgetUsage {
  api: WindowUsage & { windowMs: number };
  search: WindowUsage & { windowMs: number };
  /** Calls this process counted today (in `timeZone`) against `hubspot.daily` (Infinity when unset). */
  today: { used: number; limit: number; timeZone: string };
}

export type BudgetLane = 'api' | 'search';

export class HubSpotBudget {
  private day = '';
  private usedToday = 0;
  private zone = 'UTC';

  constructor(
    readonly api: RateWindow,
    readonly search: RateWindow,
    private readonly clock: Clock,
    private readonly daily: number = Number.POSITIVE_INFINITY,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  /** The time zone whose midnight resets the daily count (HubSpot: the account's). */
  get timeZone(): string {
    return this.zone;
  }

  /** Count days in `timeZone` from now on; an unknown zone is refused (false) and UTC kept. */
  useTimeZone(timeZone: string): boolean {
    if (!isTimeZone(timeZone)) return false;
    this.zone = timeZone;
    // The count so far belongs to today in the new zone too: keep it.
    this.day = zonedDate(this.clock.now(), timeZone);
    return true;
  }

  /** What the budget holds now: each rolling window, and today's count. */
  async usage(): Promise<BudgetUsage> {
    this.rollDay();
    const [api, search] = await Promise.all([this.api.usage(), this.search.usage()]);
    return {
      api: { ...api, windowMs: this.api.windowMs },
      search: { ...search, windowMs: this.search.windowMs },
      today: { used: this.usedToday, limit: this.daily, timeZone: this.zone },
    };
  }

  /** Runs `call` when the lane has room; the slot is held until a window after it finished. */
  async run<T>(lane: BudgetLane, call: () => Promise<T>): Promise<T> {
    if (lane === 'api') this.checkDailyRoom();
    const slot = await this.acquire(lane === 'api' ? this.api : this.search);
    if (lane === 'api') this.usedToday += 1;
    try {
      return await call();
    } finally {
      await Promise.resolve(slot.done()).catch(() => undefined);
    }
  }

  /**
   * Waits until the lane has room, without taking it. Stages call this
   * before claiming work: while the budget is exhausted, due work piles up,
   * so the claim that follows fills a bigger batch. Under load this turns
   * many small calls into few full ones; at low load it costs nothing.
   */
  async waitForRoom(lane: BudgetLane): Promise<void> {
    const window = lane === 'api' ? this.api : this.search;
    for (;;) {
      const waitMs = await window.waitTime();
      if (waitMs <= 0) return;
      await this.sleep(waitMs);
    }
  }

  /** Read the `X-HubSpot-RateLimit-*` headers of an answer. */
  observe(headers: Headers): void {
    const remaining = headerNumber(headers, 'x-hubspot-ratelimit-remaining');
    const max = headerNumber(headers, 'x-hubspot-ratelimit-max');
    if (remaining !== undefined) void Promise.resolve(this.api.observeRemaining(remaining, max)).catch(() => undefined);
    const dailyRemaining = headerNumber(headers, 'x-hubspot-ratelimit-daily-remaining');
    const dailyMax = headerNumber(headers, 'x-hubspot-ratelimit-daily') ?? this.daily;
    if (dailyRemaining !== undefined && Number.isFinite(dailyMax)) {
      this.rollDay();
      // Other integrations of the same app count too: trust HubSpot when it says more is used.
      this.usedToday = Math.max(this.usedToday, dailyMax - dailyRemaining);
    }
  }

  /** A 429 arrived: hold the lane named by its policy. */
  rateLimited(policy: string | undefined, retryAfterMs: number | undefined): void {
    if (policy === 'SECONDLY') this.search.block(retryAfterMs ?? 1_000);
    // DAILY: no lane block (a wait of hours would hold a worker and its
    // shutdown); the retry decision pauses the HubSpot queue instead.
    else if (policy === 'DAILY') return;
    else this.api.block(retryAfterMs ?? this.api.windowMs);
  }

  private checkDailyRoom(): void {
    this.rollDay();
    if (this.usedToday < this.daily) return;
    throw new ProviderError({
      provider: 'hubspot',
      operation: 'budget.daily',
      status: 429,
      code: 'RATE_LIMIT',
      policy: 'DAILY',
      message: `the daily budget of ${this.daily} HubSpot API calls (hubspot.daily) is spent`,
      failureClass: 'retryable',
      retryAfterMs: msUntilNextMidnight(this.clock.now(), this.zone),
    });
  }

  private rollDay(): void {
    const day = zonedDate(this.clock.now(), this.zone);
    if (day !== this.day) {
      this.day = day;
      this.usedToday = 0;
    }
  }

  private async acquire(window: RateWindow): Promise<Slot> {
    for (;;) {
      const got = await window.tryAcquire();
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
