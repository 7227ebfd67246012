/**
 * Video engagement, the pure parts: the player's event bodies (what is
 * refused), what one event adds, how renders on one record combine, the
 * CRM property values, and the per-token event budget.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import {
  combineEngagement,
  engagementOfEvent,
  engagementProperties,
  noEngagement,
  parseEngagementEvent,
  type Engagement,
} from '../../src/core/engagement.js';
import { RollingLimit } from '../../src/core/rolling-limit.js';

const names = parseConfig('{}', {}, 'test').hubspot.properties;
const e = (plays: number, maxWatchPercent: number, lastPlayed: number | null, ctaClicks: number): Engagement => ({ plays, maxWatchPercent, lastPlayed, ctaClicks });

describe('engagement events', () => {
  it('accepts the four types with an optional percent of 0-100', () => {
    expect(parseEngagementEvent('{"type":"play","percent":0}')).toEqual({ ok: true, event: { type: 'play', percent: 0 } });
    expect(parseEngagementEvent('{"type":"progress","percent":50}')).toEqual({ ok: true, event: { type: 'progress', percent: 50 } });
    expect(parseEngagementEvent('{"type":"complete"}')).toEqual({ ok: true, event: { type: 'complete' } });
    expect(parseEngagementEvent('{"type":"cta","percent":12.5}')).toEqual({ ok: true, event: { type: 'cta', percent: 12.5 } });
  });

  it('refuses anything else with a message naming the field', () => {
    const refused = (body: string) => {
      const parsed = parseEngagementEvent(body);
      expect(parsed.ok, body).toBe(false);
      return parsed.ok ? '' : parsed.message;
    };
    expect(refused('')).toBe('body is not JSON');
    expect(refused('{"type":"play"')).toBe('body is not JSON');
    expect(refused('null')).toMatch(/^body: /);
    expect(refused('[]')).toMatch(/^body: /);
    expect(refused('{"type":"pause"}')).toMatch(/^type: /);
    expect(refused('{"percent":50}')).toMatch(/^type: /);
    expect(refused('{"type":"progress","percent":101}')).toMatch(/^percent: /);
    expect(refused('{"type":"progress","percent":-1}')).toMatch(/^percent: /);
    expect(refused('{"type":"progress","percent":"50"}')).toMatch(/^percent: /);
    expect(refused('{"type":"play","ip":"1.2.3.4"}')).toMatch(/ip|unrecognized/i);
  });

  it('a play counts one play and sets the last play; progress and complete only raise the percent; cta counts a click', () => {
    const now = Date.UTC(2026, 11, 1, 12);
    expect(engagementOfEvent({ type: 'play', percent: 0 }, now)).toEqual(e(1, 0, now, 0));
    expect(engagementOfEvent({ type: 'progress', percent: 75.9 }, now)).toEqual(e(0, 75, null, 0));
    expect(engagementOfEvent({ type: 'complete' }, now)).toEqual(e(0, 100, null, 0));
    expect(engagementOfEvent({ type: 'complete', percent: 10 }, now)).toEqual(e(0, 100, null, 0));
    expect(engagementOfEvent({ type: 'cta', percent: 40 }, now)).toEqual(e(0, 0, null, 1));
  });
});

describe('renders on one record', () => {
  it('sum plays and clicks, keep the highest percent and the latest play', () => {
    expect(combineEngagement(e(1, 40, 1_000, 0), e(2, 25, 3_000, 1))).toEqual(e(3, 40, 3_000, 1));
    expect(combineEngagement(e(1, 90, null, 0), e(0, 10, 500, 0))).toEqual(e(1, 90, 500, 0));
    expect(combineEngagement(noEngagement, e(1, 100, 7, 2))).toEqual(e(1, 100, 7, 2));
  });

  it('combine in any order and grouping to the same totals', () => {
    const arb = fc.record({
      plays: fc.nat(1000),
      maxWatchPercent: fc.integer({ min: 0, max: 100 }),
      lastPlayed: fc.option(fc.nat(2_000_000_000_000), { nil: null }),
      ctaClicks: fc.nat(1000),
    });
    fc.assert(
      fc.property(arb, arb, arb, (a, b, c) => {
        expect(combineEngagement(a, b)).toEqual(combineEngagement(b, a));
        expect(combineEngagement(combineEngagement(a, b), c)).toEqual(combineEngagement(a, combineEngagement(b, c)));
      }),
    );
  });

  it('become the four CRM properties (last played only after a play)', () => {
    expect(engagementProperties(e(3, 75, Date.UTC(2026, 11, 1), 2), names)).toEqual({
      heygen_video_plays: '3',
      heygen_video_watch_percent: '75',
      heygen_video_cta_clicks: '2',
      heygen_video_last_played: '2026-12-01T00:00:00.000Z',
    });
    expect(engagementProperties(noEngagement, names)).toEqual({ heygen_video_plays: '0', heygen_video_watch_percent: '0', heygen_video_cta_clicks: '0' });
  });
});

describe('per-token event limit', () => {
  it('allows 60 in a minute, refuses the 61st with the wait until the oldest leaves the window', () => {
    const limit = new RollingLimit(60, 60_000);
    const t0 = 1_000_000;
    for (let i = 0; i < 60; i++) expect(limit.take('a', t0 + i * 100)).toEqual({ ok: true });
    expect(limit.take('a', t0 + 6_000)).toEqual({ ok: false, retryAfterMs: 54_000 });
    expect(limit.take('b', t0 + 6_000)).toEqual({ ok: true });
    expect(limit.take('a', t0 + 59_999).ok).toBe(false);
    expect(limit.take('a', t0 + 60_000)).toEqual({ ok: true });
    expect(limit.take('a', t0 + 60_000).ok).toBe(false);
  });

  it('never lets more than 60 through in any minute, whatever the arrival times', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(3_000), { minLength: 1, maxLength: 300 }), (gaps) => {
        const limit = new RollingLimit(60, 60_000);
        let t = 0;
        const accepted: number[] = [];
        for (const gap of gaps) {
          t += gap;
          if (limit.take('k', t).ok) accepted.push(t);
        }
        for (const start of accepted) expect(accepted.filter((x) => x >= start && x < start + 60_000).length).toBeLessThanOrEqual(60);
      }),
    );
  });

  it('stays bounded: beyond its key limit it forgets keys with nothing in the window first', () => {
    const limit = new RollingLimit(1, 1_000, 3);
    limit.take('a', 0);
    limit.take('b', 4_500);
    limit.take('c', 4_500);
    limit.take('d', 5_000);
    // 'a' was forgotten, 'b' and 'c' kept: 'b' is still refused.
    expect(limit.take('b', 5_000).ok).toBe(false);
    expect(limit.take('a', 5_000)).toEqual({ ok: true });
  });
});
