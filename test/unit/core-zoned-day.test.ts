/**
 * HubSpot's daily limit resets at midnight in the account's time zone. The
 * midnight is computed with Intl, so daylight-saving days (23 h, 25 h) and
 * half-hour zones come out right; the budget counts its day in that zone.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { ProviderError } from '../../src/core/errors.js';
import { isTimeZone, msUntilNextMidnight, zonedDate } from '../../src/core/zoned-day.js';
import { learnDailyResetZone } from '../../src/engine/account-zone.js';
import { HubSpotBudget } from '../../src/engine/hubspot-budget.js';
import { RollingWindowLimiter } from '../../src/engine/rolling-window.js';
import { hubspotRetryAfter } from '../../src/hubspot/client.js';
import type { AccountDetails, HubSpotClient } from '../../src/hubspot/types.js';
import { createLogger } from '../../src/observability/logger.js';

const HOUR = 3_600_000;
const NY = 'America/New_York';

describe('the next midnight in a time zone', () => {
  it('is hours away by the zone\'s clock, not UTC\'s', () => {
    // 2026-01-15 22:00 UTC = 17:00 EST: New York's midnight is 7 h away, UTC's 2 h.
    expect(msUntilNextMidnight(Date.UTC(2026, 0, 15, 22), NY)).toBe(7 * HOUR);
    expect(msUntilNextMidnight(Date.UTC(2026, 0, 15, 22), 'UTC')).toBe(2 * HOUR);
    // 23:30 in Kolkata (UTC+5:30) is 18:00 UTC.
    expect(msUntilNextMidnight(Date.UTC(2026, 5, 1, 18), 'Asia/Kolkata')).toBe(30 * 60_000);
  });

  it('spans the 23-hour and 25-hour days of daylight saving', () => {
    // 2026-03-08: New York springs forward; the day runs 05:00 UTC to 04:00 UTC next day.
    expect(msUntilNextMidnight(Date.UTC(2026, 2, 8, 5), NY)).toBe(23 * HOUR);
    // 2026-11-01: it falls back; the day runs 04:00 UTC to 05:00 UTC next day.
    expect(msUntilNextMidnight(Date.UTC(2026, 10, 1, 4), NY)).toBe(25 * HOUR);
    // One millisecond before midnight is one millisecond before midnight.
    expect(msUntilNextMidnight(Date.UTC(2026, 2, 8, 4, 59, 59, 999), NY)).toBe(1);
  });

  it('names the date in the zone, and knows which zones exist', () => {
    expect(zonedDate(Date.UTC(2026, 2, 8, 4, 59), NY)).toBe('2026-03-07');
    expect(zonedDate(Date.UTC(2026, 2, 8, 5, 0), NY)).toBe('2026-03-08');
    expect(isTimeZone('US/Eastern')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isTimeZone('')).toBe(false);
  });
});

describe('HubSpot budget in the account\'s time zone', () => {
  function budget(clock: ManualClock, daily: number): HubSpotBudget {
    return new HubSpotBudget(new RollingWindowLimiter(100, 10_000, clock), new RollingWindowLimiter(5, 1_000, clock), clock, daily);
  }

  it('keeps the day spent across UTC midnight and opens it at New York\'s, retry-after included', async () => {
    // 2026-03-07 23:30 UTC = 18:30 in New York.
    const clock = new ManualClock(Date.UTC(2026, 2, 7, 23, 30));
    const b = budget(clock, 2);
    expect(b.useTimeZone(NY)).toBe(true);
    let sent = 0;
    const call = () => b.run('api', async () => void (sent += 1));
    await call();
    await call();
    clock.advance(HOUR); // 00:30 UTC on the 8th: a new day in UTC, not in New York.
    const refused = await call().catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(ProviderError);
    expect(refused).toMatchObject({ policy: 'DAILY', retryAfterMs: 4.5 * HOUR });
    expect(sent).toBe(2);
    clock.set(Date.UTC(2026, 2, 8, 5)); // midnight in New York
    await call();
    expect(sent).toBe(3);
  });

  it('refuses a zone it does not know and keeps UTC', () => {
    const b = budget(new ManualClock(), 10);
    expect(b.useTimeZone('Nowhere/Land')).toBe(false);
    expect(b.timeZone).toBe('UTC');
  });

  it('dates a DAILY 429 without Retry-After to the zone\'s midnight', () => {
    const facts = { status: 429, code: 'RATE_LIMIT', policy: 'DAILY' };
    expect(hubspotRetryAfter(facts, Date.UTC(2026, 0, 15, 22), NY)).toBe(7 * HOUR);
    expect(hubspotRetryAfter(facts, Date.UTC(2026, 0, 15, 22))).toBe(2 * HOUR);
    expect(hubspotRetryAfter(facts, Date.UTC(2026, 0, 15, 22), 'Bad/Zone')).toBe(2 * HOUR);
  });
});

describe('learning the zone at start', () => {
  function logged(): { log: ReturnType<typeof createLogger>; text: () => string } {
    let text = '';
    const sink = new Writable({ write: (chunk, _e, done) => ((text += String(chunk)), done()) });
    return { log: createLogger({ level: 'debug', secrets: [], destination: sink }), text: () => text };
  }
  const client = (details: () => Promise<AccountDetails>) => ({ accountDetails: details }) as unknown as HubSpotClient;
  const newBudget = (clock: ManualClock) =>
    new HubSpotBudget(new RollingWindowLimiter(100, 10_000, clock), new RollingWindowLimiter(5, 1_000, clock), clock, 10);

  it('hands the account\'s zone to the budget', async () => {
    const b = newBudget(new ManualClock());
    const { log } = logged();
    expect(await learnDailyResetZone({ hubspot: client(async () => ({ portalId: 1, timeZone: NY })), budget: b, log })).toBe(NY);
    expect(b.timeZone).toBe(NY);
  });

  it('falls back to UTC with a warning when account-info fails or names an unknown zone', async () => {
    for (const details of [
      async (): Promise<AccountDetails> => {
        throw new ProviderError({ provider: 'hubspot', operation: 'account.details', status: 403, code: 'MISSING_SCOPES', message: 'forbidden', failureClass: 'blocking' });
      },
      async (): Promise<AccountDetails> => ({ portalId: 1, timeZone: 'Atlantis/Central' }),
    ]) {
      const b = newBudget(new ManualClock());
      const { log, text } = logged();
      expect(await learnDailyResetZone({ hubspot: client(details), budget: b, log })).toBe('UTC');
      expect(b.timeZone).toBe('UTC');
      expect(text()).toMatch(/"level":40.*counted from midnight UTC/);
    }
  });

  it('remembers the zone it read, and falls back to it (with a warning) when account-info fails later', async () => {
    let stored: string | undefined;
    const memory = { get: async () => stored, set: async (zone: string) => void (stored = zone) };
    const first = newBudget(new ManualClock());
    await learnDailyResetZone({ hubspot: client(async () => ({ portalId: 1, timeZone: 'Asia/Kolkata' })), budget: first, log: logged().log, memory });
    expect(stored).toBe('Asia/Kolkata');

    const later = newBudget(new ManualClock());
    const { log, text } = logged();
    const down = client(async () => {
      throw new ProviderError({ provider: 'hubspot', operation: 'account.details', status: 503, code: 'INTERNAL_ERROR', message: 'unavailable', failureClass: 'retryable' });
    });
    expect(await learnDailyResetZone({ hubspot: down, budget: later, log, memory })).toBe('Asia/Kolkata');
    expect(text()).toMatch(/"level":40.*using the one read before, Asia\/Kolkata/);
  });
});
