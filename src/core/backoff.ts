/**
 * Exponential backoff with full jitter: the n-th retry waits a uniformly
 * random time in [0, min(cap, base * 2^(n-1))), which spreads a crowd of
 * failing workers instead of having them retry in lockstep.
 */
import type { Random } from './clock.js';

export interface BackoffParams {
  /** The attempt that just failed, from 1. */
  attempt: number;
  baseMs: number;
  capMs: number;
  random: Random;
}

export interface RetryDelayParams extends BackoffParams {
  /** What the provider asked for (`Retry-After`), when it did. */
  retryAfterMs?: number;
}

/** The most a provider's `Retry-After` is honoured for; a longer one is treated as this. */
export const MAX_RETRY_AFTER_MS = 24 * 60 * 60 * 1000;
/** The spread added on top of a `Retry-After`, so throttled workers do not all return at the same instant. */
export const RETRY_AFTER_JITTER_MS = 1000;

function checkParams({ attempt, baseMs, capMs }: BackoffParams): void {
  if (!Number.isInteger(attempt) || attempt < 1) throw new RangeError(`attempt must be an integer >= 1, got ${attempt}`);
  if (!(baseMs >= 0) || !(capMs >= 0)) throw new RangeError(`baseMs and capMs must be >= 0, got ${baseMs} and ${capMs}`);
}

export function backoffDelay(params: BackoffParams): number {
  checkParams(params);
  const { attempt, baseMs, capMs, random } = params;
  // 2^52 already exceeds any cap; clamping keeps base 0 from becoming 0 * Infinity.
  const window = Math.min(capMs, baseMs * 2 ** Math.min(attempt - 1, 52));
  return random() * window;
}

/**
 * The wait before the next try. With a `Retry-After` the wait is never
 * shorter than it (plus up to a second of jitter) nor shorter than the plain
 * backoff, so repeated `Retry-After: 0` answers still back off.
 */
export function retryDelay(params: RetryDelayParams): number {
  const backoff = backoffDelay(params);
  const { retryAfterMs, random } = params;
  if (retryAfterMs === undefined || !Number.isFinite(retryAfterMs) || retryAfterMs < 0) return backoff;
  const honoured = Math.min(retryAfterMs, MAX_RETRY_AFTER_MS) + random() * RETRY_AFTER_JITTER_MS;
  return Math.max(honoured, backoff);
}
