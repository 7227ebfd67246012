/**
 * Sign-in attempts allowed per client address and in all, per rolling
 * minute: a guesser gets a handful of tries, then 429 until the minute has
 * passed. The clock is injected; the memory is bounded (`RollingLimit`
 * forgets idle, then least recently used, addresses first).
 */
import type { Clock } from '../../../core/clock.js';
import { RollingLimit } from '../../../core/rolling-limit.js';

export interface SignInLimits {
  perAddress: number;
  overall: number;
  windowMs: number;
  /** Addresses remembered at most. */
  addresses: number;
}

export const DEFAULT_SIGN_IN_LIMITS: SignInLimits = { perAddress: 5, overall: 60, windowMs: 60_000, addresses: 10_000 };

const EVERYONE = '';

export class SignInLimiter {
  private readonly byAddress: RollingLimit;
  private readonly overall: RollingLimit;

  constructor(
    private readonly clock: Clock,
    limits: SignInLimits = DEFAULT_SIGN_IN_LIMITS,
  ) {
    this.byAddress = new RollingLimit(limits.perAddress, limits.windowMs, limits.addresses);
    this.overall = new RollingLimit(limits.overall, limits.windowMs, 1);
  }

  /** Counts an attempt; false (and nothing counted) when the address, or everyone, is over the limit. */
  tryAttempt(address: string): boolean {
    const now = this.clock.now();
    if (!this.overall.allows(EVERYONE, now) || !this.byAddress.allows(address, now)) return false;
    this.overall.take(EVERYONE, now);
    this.byAddress.take(address, now);
    return true;
  }
}
