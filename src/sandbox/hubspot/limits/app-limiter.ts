/**
 * HubSpot's per-app limits: never more than `burst` accepted requests in any
 * rolling 10 s span (TEN_SECONDLY_ROLLING), a daily count that resets at
 * midnight in the portal's time zone (DAILY), and search's own per-second
 * limit (SECONDLY).
 */
import type { Clock } from '../../../core/clock.js';
import { msUntilNextMidnight, zonedDate } from '../../../core/zoned-day.js';
import { RollingWindow } from './rolling-window.js';

export const tenSecondsMs = 10_000;

export type RatePolicy = 'TEN_SECONDLY_ROLLING' | 'DAILY' | 'SECONDLY';

export interface LimitSettings {
  burst: number;
  daily: number;
  searchPerSecond: number;
  /** Send `Retry-After` (seconds) on 429s; off by default because HubSpot's is unconfirmed. */
  retryAfter: boolean;
}

export type RateHeaders = Record<string, string>;

export type AcquireResult =
  | { ok: true; headers: RateHeaders }
  | { ok: false; policy: RatePolicy; headers: RateHeaders; retryAfterMs: number };

export class AppLimiter {
  private readonly burstWindow = new RollingWindow(tenSecondsMs);
  private readonly searchWindow = new RollingWindow(1000);
  private day = '';
  private usedToday = 0;

  constructor(
    private readonly clock: Clock,
    private settings: LimitSettings,
    /** The portal's time zone: its midnight resets the daily count. */
    private readonly timeZone = 'UTC',
  ) {}

  limits(): LimitSettings {
    return { ...this.settings };
  }

  configure(patch: Partial<LimitSettings>): LimitSettings {
    this.settings = { ...this.settings, ...patch };
    return this.limits();
  }

  reset(): void {
    this.burstWindow.clear();
    this.searchWindow.clear();
    this.usedToday = 0;
  }

  /** Takes one request from the 10 s and daily budgets, or says which policy refused it. */
  acquire(): AcquireResult {
    const now = this.clock.now();
    this.rollDay(now);
    if (this.usedToday >= this.settings.daily) {
      return { ok: false, policy: 'DAILY', headers: this.headers(now), retryAfterMs: msUntilNextMidnight(now, this.timeZone) };
    }
    if (this.burstWindow.count(now) >= this.settings.burst) {
      return { ok: false, policy: 'TEN_SECONDLY_ROLLING', headers: this.headers(now), retryAfterMs: this.burstWindow.msUntilNextSlot(now) };
    }
    this.burstWindow.add(now);
    this.usedToday++;
    return { ok: true, headers: this.headers(now) };
  }

  /** The current headers without taking anything (used on injected 429s). */
  peekHeaders(): RateHeaders {
    const now = this.clock.now();
    this.rollDay(now);
    return this.headers(now);
  }

  acquireSearch(): { ok: true } | { ok: false; retryAfterMs: number } {
    const now = this.clock.now();
    if (this.searchWindow.count(now) >= this.settings.searchPerSecond) {
      return { ok: false, retryAfterMs: this.searchWindow.msUntilNextSlot(now) };
    }
    this.searchWindow.add(now);
    return { ok: true };
  }

  dailyUsed(): number {
    this.rollDay(this.clock.now());
    return this.usedToday;
  }

  private rollDay(now: number): void {
    const day = zonedDate(now, this.timeZone);
    if (day !== this.day) {
      this.day = day;
      this.usedToday = 0;
    }
  }

  private headers(now: number): RateHeaders {
    return {
      'x-hubspot-ratelimit-max': String(this.settings.burst),
      'x-hubspot-ratelimit-remaining': String(Math.max(0, this.settings.burst - this.burstWindow.count(now))),
      'x-hubspot-ratelimit-interval-milliseconds': String(tenSecondsMs),
      'x-hubspot-ratelimit-daily': String(this.settings.daily),
      'x-hubspot-ratelimit-daily-remaining': String(Math.max(0, this.settings.daily - this.usedToday)),
    };
  }
}
