/**
 * Sign-in attempts allowed per client address and in all, per rolling
 * minute: a guesser gets a handful of tries, then 429 until the minute has
 * passed. The clock is injected; the memory is bounded (the oldest
 * addresses are forgotten first).
 */
import type { Clock } from '../../../core/clock.js';

export interface SignInLimits {
  perAddress: number;
  overall: number;
  windowMs: number;
  /** Addresses remembered at most. */
  addresses: number;
}

export const DEFAULT_SIGN_IN_LIMITS: SignInLimits = { perAddress: 5, overall: 60, windowMs: 60_000, addresses: 10_000 };

export class SignInLimiter {
  private readonly byAddress = new Map<string, number[]>();
  private overall: number[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly limits: SignInLimits = DEFAULT_SIGN_IN_LIMITS,
  ) {}

  /** Counts an attempt; false (and nothing counted) when the address, or everyone, is over the limit. */
  tryAttempt(address: string): boolean {
    const now = this.clock.now();
    const since = now - this.limits.windowMs;
    this.overall = this.overall.filter((t) => t > since);
    const mine = (this.byAddress.get(address) ?? []).filter((t) => t > since);
    if (mine.length >= this.limits.perAddress || this.overall.length >= this.limits.overall) {
      this.byAddress.set(address, mine);
      return false;
    }
    mine.push(now);
    this.overall.push(now);
    this.byAddress.delete(address);
    this.byAddress.set(address, mine);
    while (this.byAddress.size > this.limits.addresses) {
      const oldest = this.byAddress.keys().next().value;
      if (oldest === undefined) break;
      this.byAddress.delete(oldest);
    }
    return true;
  }
}
