import { describe, expect, it } from 'vitest';
import { ManualClock, seededRandom } from '../../src/core/clock.js';
import { RollingWindowLimiter, type Slot } from '../../src/engine/rolling-window.js';
import { HeyGenWindow } from '../../src/engine/heygen-window.js';

describe('RollingWindowLimiter', () => {
  it('refuses the (limit+1)th request inside the window and says how long to wait', () => {
    const clock = new ManualClock(0);
    const limiter = new RollingWindowLimiter(3, 10_000, clock);
    limiter.observeRemaining(3);
    for (let i = 0; i < 3; i += 1) {
      const got = limiter.tryAcquire();
      if (!('slot' in got)) throw new Error('expected a slot');
      got.slot.done();
    }
    const refused = limiter.tryAcquire();
    expect(refused).toEqual({ waitMs: 10_000 });
    clock.advance(10_000);
    expect('slot' in limiter.tryAcquire()).toBe(true);
  });

  it('after a start, sends one request at a time until the provider has said what remains', () => {
    const clock = new ManualClock(0);
    const limiter = new RollingWindowLimiter(100, 10_000, clock);
    const first = limiter.tryAcquire() as { slot: Slot };
    expect('waitMs' in limiter.tryAcquire()).toBe(true);
    limiter.observeRemaining(10);
    first.slot.done();
    const granted = Array.from({ length: 20 }, () => limiter.tryAcquire()).filter((g) => 'slot' in g);
    // HubSpot counted our first request and 89 of a predecessor's: 10 remain, and only those are used.
    expect(granted).toHaveLength(10);
  });

  it('holds a slot while the request is in flight, and for a full window after its answer', () => {
    const clock = new ManualClock(0);
    const limiter = new RollingWindowLimiter(1, 10_000, clock);
    const first = limiter.tryAcquire() as { slot: Slot };
    clock.advance(30_000); // a very slow answer
    expect('waitMs' in limiter.tryAcquire()).toBe(true);
    first.slot.done();
    clock.advance(9_999);
    expect('waitMs' in limiter.tryAcquire()).toBe(true);
    clock.advance(1);
    expect('slot' in limiter.tryAcquire()).toBe(true);
  });

  it('never lets more than the limit arrive in any window, whatever the latencies (simulated)', () => {
    const clock = new ManualClock(0);
    const random = seededRandom(7);
    const limit = 10;
    const limiter = new RollingWindowLimiter(limit, 1_000, clock);
    const arrivals: number[] = [];
    const inFlight: { answerAt: number; slot: Slot }[] = [];
    for (let t = 0; t < 20_000; t += 1) {
      clock.set(t);
      for (const f of inFlight.filter((f) => f.answerAt <= t)) f.slot.done();
      inFlight.splice(0, inFlight.length, ...inFlight.filter((f) => f.answerAt > t));
      const got = limiter.tryAcquire();
      if ('slot' in got) {
        const latency = Math.floor(random() * 400);
        const arrival = t + Math.floor(random() * latency);
        arrivals.push(arrival);
        inFlight.push({ answerAt: t + latency, slot: got.slot });
      }
    }
    arrivals.sort((a, b) => a - b);
    let maxInWindow = 0;
    for (let i = 0, j = 0; i < arrivals.length; i += 1) {
      while ((arrivals[i] as number) - (arrivals[j] as number) >= 1_000) j += 1;
      maxInWindow = Math.max(maxInWindow, i - j + 1);
    }
    expect(maxInWindow).toBeLessThanOrEqual(limit);
    expect(arrivals.length).toBeGreaterThan(100);
  });

  it('shrinks to what the provider reports as remaining, and blocks on a rate-limit answer', () => {
    const clock = new ManualClock(0);
    const limiter = new RollingWindowLimiter(100, 10_000, clock);
    limiter.observeRemaining(2);
    expect('slot' in limiter.tryAcquire()).toBe(true);
    expect('slot' in limiter.tryAcquire()).toBe(true);
    expect('waitMs' in limiter.tryAcquire()).toBe(true);
    clock.advance(10_000);
    limiter.block(3_000);
    expect(limiter.tryAcquire()).toEqual({ waitMs: 3_000 });
  });
});

describe('HeyGenWindow', () => {
  it('shrinks on a 429, holds for Retry-After, and grows back one success at a time', () => {
    const window = new HeyGenWindow(4);
    expect(window.free(1, 0)).toBe(3);
    window.rateLimited(2, 5_000, 0);
    expect(window.free(0, 4_999)).toBe(0);
    expect(window.free(1, 5_000)).toBe(1);
    window.accepted();
    window.accepted();
    window.accepted();
    expect(window.size).toBe(4);
  });
});

describe('HubSpotBudget daily cap', () => {
  it('refuses API calls, unsent, once the day is spent (by its own count or HubSpot\'s headers), until midnight UTC', async () => {
    const { HubSpotBudget } = await import('../../src/engine/hubspot-budget.js');
    const { decideAfterFailure } = await import('../../src/core/retry-decision.js');
    const clock = new ManualClock(Date.UTC(2026, 10, 27, 22, 0));
    const budget = new HubSpotBudget(new RollingWindowLimiter(100, 10_000, clock), new RollingWindowLimiter(5, 1_000, clock), clock, 3);
    let sent = 0;
    const call = () =>
      budget.run('api', async () => {
        sent += 1;
      });
    await call();
    await call();
    await call();
    const refused = await call().catch((err: unknown) => err);
    expect(sent).toBe(3);
    // The shared retry decision pauses the HubSpot queue until midnight.
    const decision = decideAfterFailure({ error: refused, attempt: 1, maxAttempts: 5, baseMs: 100, capMs: 1_000, random: () => 0.5 });
    expect(decision).toMatchObject({ kind: 'pause', scope: 'hubspot', resumeAfterMs: 2 * 3_600_000 });

    clock.advance(2 * 3_600_000);
    await call();
    expect(sent).toBe(4);
    // Another integration of the same app spent the rest: HubSpot's header says so.
    budget.observe(new Headers({ 'x-hubspot-ratelimit-daily': '3', 'x-hubspot-ratelimit-daily-remaining': '0' }));
    await expect(call()).rejects.toMatchObject({ policy: 'DAILY' });
    expect(sent).toBe(4);
  });
});
