import { describe, expect, it } from 'vitest';
import { backoffDelay, MAX_RETRY_AFTER_MS, RETRY_AFTER_JITTER_MS, retryDelay } from '../../src/core/backoff.js';
import { seededRandom, type Random } from '../../src/core/clock.js';

const fixed = (value: number): Random => () => value;
const almostOne = 1 - Number.EPSILON;

describe('backoffDelay', () => {
  it('is random() times the exponential window', () => {
    expect(backoffDelay({ attempt: 1, baseMs: 1000, capMs: 60_000, random: fixed(0.5) })).toBe(500);
    expect(backoffDelay({ attempt: 2, baseMs: 1000, capMs: 60_000, random: fixed(0.5) })).toBe(1000);
    expect(backoffDelay({ attempt: 4, baseMs: 1000, capMs: 60_000, random: fixed(0.5) })).toBe(4000);
  });

  it('never exceeds the cap', () => {
    expect(backoffDelay({ attempt: 30, baseMs: 1000, capMs: 60_000, random: fixed(almostOne) })).toBeLessThan(60_000);
    expect(backoffDelay({ attempt: 5000, baseMs: 1000, capMs: 60_000, random: fixed(0.5) })).toBe(30_000);
  });

  it('is zero with a zero base, whatever the attempt', () => {
    expect(backoffDelay({ attempt: 2000, baseMs: 0, capMs: 60_000, random: fixed(0.9) })).toBe(0);
  });

  it('spreads delays over the whole window (full jitter) and is reproducible with a seed', () => {
    const draw = (seed: number): number[] => {
      const random = seededRandom(seed);
      return Array.from({ length: 500 }, () => backoffDelay({ attempt: 3, baseMs: 1000, capMs: 60_000, random }));
    };
    const delays = draw(42);
    expect(draw(42)).toEqual(delays);
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...delays)).toBeLessThan(4000);
    expect(Math.min(...delays)).toBeLessThan(400);
    expect(Math.max(...delays)).toBeGreaterThan(3600);
    expect(new Set(delays).size).toBeGreaterThan(450);
  });

  it.each([0, -1, 1.5])('refuses attempt %s', (attempt) => {
    expect(() => backoffDelay({ attempt, baseMs: 1, capMs: 1, random: fixed(0) })).toThrow(RangeError);
  });

  it('refuses negative base or cap', () => {
    expect(() => backoffDelay({ attempt: 1, baseMs: -1, capMs: 1, random: fixed(0) })).toThrow(RangeError);
    expect(() => backoffDelay({ attempt: 1, baseMs: 1, capMs: Number.NaN, random: fixed(0) })).toThrow(RangeError);
  });
});

describe('retryDelay', () => {
  const params = { attempt: 1, baseMs: 1000, capMs: 60_000 };

  it('is the plain backoff without Retry-After', () => {
    expect(retryDelay({ ...params, attempt: 3, random: fixed(0.25) })).toBe(1000);
  });

  it('waits at least Retry-After, plus at most a second of jitter', () => {
    const random = seededRandom(7);
    for (let i = 0; i < 200; i++) {
      const delay = retryDelay({ ...params, random, retryAfterMs: 5000 });
      expect(delay).toBeGreaterThanOrEqual(5000);
      expect(delay).toBeLessThan(5000 + RETRY_AFTER_JITTER_MS);
    }
  });

  it('honours a Retry-After longer than the cap', () => {
    expect(retryDelay({ ...params, random: fixed(0), retryAfterMs: 10 * 60_000 })).toBe(10 * 60_000);
  });

  it('keeps backing off when Retry-After is shorter than the backoff', () => {
    expect(retryDelay({ ...params, attempt: 6, random: fixed(0.5), retryAfterMs: 0 })).toBe(16_000);
  });

  it('limits an absurd Retry-After to a day', () => {
    expect(retryDelay({ ...params, random: fixed(0), retryAfterMs: 30 * MAX_RETRY_AFTER_MS })).toBe(MAX_RETRY_AFTER_MS);
  });

  it('ignores a negative or non-finite Retry-After', () => {
    expect(retryDelay({ ...params, random: fixed(0.5), retryAfterMs: -5 })).toBe(500);
    expect(retryDelay({ ...params, random: fixed(0.5), retryAfterMs: Number.POSITIVE_INFINITY })).toBe(500);
  });
});
