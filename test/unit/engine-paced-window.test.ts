import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { HubSpotBudget } from '../../src/engine/hubspot-budget.js';
import { PacedWindow } from '../../src/engine/paced-window.js';
import { RollingWindowLimiter } from '../../src/engine/rolling-window.js';

/** HubSpot's 100 calls per rolling 10 s, calibrated (the provider said all 100 remain), paced. */
function paced(clock: ManualClock, limit = 100): PacedWindow {
  const window = new RollingWindowLimiter(limit, 10_000, clock);
  window.observeRemaining(limit);
  return new PacedWindow(window, limit, clock);
}

/** Sends calls (each answered at once) as fast as the window lets, until `untilMs`; returns their send times. */
async function sendAll(clock: ManualClock, window: PacedWindow, untilMs: number): Promise<number[]> {
  const sent: number[] = [];
  while (clock.now() < untilMs) {
    const got = await window.tryAcquire();
    if ('slot' in got) {
      sent.push(clock.now());
      await got.slot.done();
    } else clock.advance(got.waitMs);
  }
  return sent;
}

describe('PacedWindow: HubSpot calls spread over their window', () => {
  it('lets a twentieth of the limit go at once, then the rest of the limit spread over the window', async () => {
    const clock = new ManualClock(0);
    const sent = await sendAll(clock, paced(clock), 10_000);
    expect(sent.filter((t) => t === 0)).toHaveLength(5);
    // Then 95 over the 10 s (the last one a millisecond or so past it: waits round up), one every 105-106 ms: never two within 100 ms.
    const spread = sent.filter((t) => t > 0).length;
    expect(spread).toBeGreaterThanOrEqual(94);
    expect(spread).toBeLessThanOrEqual(95);
    const gaps = sent.slice(5).map((t, i) => t - (sent[i + 4] as number));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(100);
  });

  it('never lets more through than the rolling window, and under steady demand spends it evenly instead of at the start of each window', async () => {
    const clock = new ManualClock(0);
    const sent = await sendAll(clock, paced(clock), 60_000);
    for (let from = 0; from < 50_000; from += 500) {
      const inWindow = sent.filter((t) => t >= from && t < from + 10_000).length;
      expect(inWindow).toBeLessThanOrEqual(100);
      // Evenly: every second has 9 or 10 calls, where the window alone would give 100 in the first and none in the nine after.
      const inSecond = sent.filter((t) => t >= from + 1_000 && t < from + 2_000).length;
      expect(inSecond).toBeGreaterThanOrEqual(9);
      expect(inSecond).toBeLessThanOrEqual(10);
    }
  });

  it('does not pace a limit of 5 or less (search: 5 a second): the window alone decides', async () => {
    const clock = new ManualClock(0);
    const window = paced(clock, 5);
    const sent = await sendAll(clock, window, 999);
    expect(sent).toEqual([0, 0, 0, 0, 0]);
  });

  it('after a quiet spell, a lone call goes at once', async () => {
    const clock = new ManualClock(0);
    const window = paced(clock);
    await sendAll(clock, window, 5_000);
    clock.advance(60_000);
    expect(await window.waitTime()).toBe(0);
    expect('slot' in (await window.tryAcquire())).toBe(true);
  });

  it('keeps the window\'s own refusals: a 429 block holds every call, whatever the tokens', async () => {
    const clock = new ManualClock(0);
    const window = paced(clock);
    window.block(3_000);
    expect(await window.waitTime()).toBe(3_000);
    expect(await window.tryAcquire()).toEqual({ waitMs: 3_000 });
    clock.advance(3_000);
    expect('slot' in (await window.tryAcquire())).toBe(true);
  });

  it('paces HubSpotBudget.run: 24 calls asked for at once take two seconds, not one instant', async () => {
    const clock = new ManualClock(0);
    const sleeps: number[] = [];
    const budget = new HubSpotBudget(paced(clock), paced(clock, 5), clock, Number.POSITIVE_INFINITY, async (ms) => {
      sleeps.push(ms);
      clock.advance(ms);
    });
    const times: number[] = [];
    for (let i = 0; i < 24; i++) await budget.run('api', async () => times.push(clock.now()));
    expect(times.slice(0, 5)).toEqual(Array(5).fill(0));
    expect(times[5]).toBeGreaterThan(100);
    expect(times[23]).toBeGreaterThanOrEqual(2_000);
    expect(times[23]).toBeLessThan(2_100);
    expect(sleeps.length).toBeGreaterThan(0);
  });
});
