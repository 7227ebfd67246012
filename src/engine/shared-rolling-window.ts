/**
 * The rolling window of `rolling-window.ts`, kept in PostgreSQL so that
 * every instance of Reelay spends one shared HubSpot budget: three
 * instances together still send at most `limit` requests per window.
 * Same rule: a slot is held from send until a window after the answer.
 */
import type { Clock } from '../core/clock.js';
import type { Store } from '../store/db.js';
import { addBorrowedSlots, countHeldSlots, releaseSlot, takeSlot } from '../store/rate-slots.js';
import type { RateWindow, WindowUsage } from './hubspot-budget.js';
import type { Slot } from './rolling-window.js';

/** Reading the provider's headers costs a query: at most this often. */
const OBSERVE_EVERY_MS = 1_000;

export class SharedRollingWindow implements RateWindow {
  private blockedUntil = 0;
  private lastObserved = 0;

  constructor(
    private readonly store: Store,
    private readonly lane: string,
    private limit: number,
    readonly windowMs: number,
    private readonly clock: Clock,
    /** A slot its instance never released (it died) stops counting after this long. */
    private readonly staleMs: number,
  ) {}

  async tryAcquire(): Promise<{ slot: Slot } | { waitMs: number }> {
    const now = this.clock.now();
    if (now < this.blockedUntil) return { waitMs: this.blockedUntil - now };
    const taken = await takeSlot(this.store, { lane: this.lane, limit: this.limit, windowMs: this.windowMs, now, staleMs: this.staleMs });
    if ('waitMs' in taken) return taken;
    return { slot: { done: () => releaseSlot(this.store, taken.id, this.clock.now()) } };
  }

  async waitTime(): Promise<number> {
    const now = this.clock.now();
    if (now < this.blockedUntil) return this.blockedUntil - now;
    const held = await countHeldSlots(this.store, this.lane, now, this.windowMs, this.staleMs);
    return held < this.limit ? 0 : 25;
  }

  async usage(): Promise<WindowUsage> {
    const used = await countHeldSlots(this.store, this.lane, this.clock.now(), this.windowMs, this.staleMs);
    return { used, limit: this.limit };
  }

  async observeRemaining(remaining: number, max?: number): Promise<void> {
    const now = this.clock.now();
    if (max !== undefined && max > 0 && max < this.limit) this.limit = max;
    if (now - this.lastObserved < OBSERVE_EVERY_MS) return;
    this.lastObserved = now;
    const held = await countHeldSlots(this.store, this.lane, now, this.windowMs, this.staleMs);
    await addBorrowedSlots(this.store, this.lane, this.limit - held - remaining, now);
  }

  block(ms: number): void {
    this.blockedUntil = Math.max(this.blockedUntil, this.clock.now() + ms);
  }
}
