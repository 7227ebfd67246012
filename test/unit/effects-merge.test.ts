/** Each outbox effect kind's merge: what stands when a second effect arrives while the first waits. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { coalesceCrmWrites, crmWrite } from '../../src/core/crm-write.js';
import { engagementKind, fromProperties, mergeEngagement, noEngagement, toProperties, type Engagement } from '../../src/engine/effects/engagement.js';
import { effectOf } from '../../src/engine/effects/kind.js';
import { noteKind, noteMarker } from '../../src/engine/effects/note.js';
import { parseConfig } from '../../src/config/load.js';

const names = parseConfig('{}', {}, 'test').hubspot.properties;

describe('properties', () => {
  it('a newer fact about the same render merges; the status never moves backwards; an older render is dropped', () => {
    const pending = crmWrite(5, { s: 'COMPLETED', url: 'u' }, 'COMPLETED');
    expect(coalesceCrmWrites(pending, crmWrite(5, { s: 'PROCESSING' }, 'PROCESSING'))).toBeNull();
    expect(coalesceCrmWrites(crmWrite(5, { s: 'PENDING', job: 'v' }, 'PENDING'), pending)?.properties).toEqual({ s: 'COMPLETED', job: 'v', url: 'u' });
    expect(coalesceCrmWrites(pending, crmWrite(4, { s: 'FAILED' }, 'FAILED'))).toBeNull();
    expect(coalesceCrmWrites(pending, crmWrite(6, { s: 'PENDING' }, 'PENDING'))?.properties).toEqual({ s: 'PENDING' });
  });
});

describe('note', () => {
  it('is created once: a second note effect for the same render keeps the first', () => {
    const note = { marker: noteMarker('rk_abc'), body: '<p>one</p>', timestamp: 1 };
    expect(noteKind.merge(note, { ...note, body: '<p>two</p>' })).toBeNull();
    const change = effectOf(noteKind, { target: { portalId: '1', objectType: 'contacts', objectId: '9' }, key: '7', renderId: 7, payload: note, notBefore: 0 });
    expect(change.merge(change.payload, noteKind.serialize({ ...note, body: 'x' }))).toBeNull();
    expect(noteKind.parse(change.payload)).toEqual(note);
  });

  it('its marker is one alphanumeric token, so CONTAINS_TOKEN matches it whole', () => {
    expect(noteMarker('rk_3f2ae82497a6a502257452b3298608b6ffff')).toBe('reelay3f2ae82497a6a502257452b3298608b6');
  });
});

describe('engagement', () => {
  const e = (plays: number, maxWatchPercent: number, lastPlayed: number | null, ctaClicks: number): Engagement => ({ plays, maxWatchPercent, lastPlayed, ctaClicks });

  it('sums plays and clicks, keeps the highest watch percent and the last play', () => {
    expect(mergeEngagement(e(1, 40, 1_000, 0), e(2, 25, 3_000, 1))).toEqual(e(3, 40, 3_000, 1));
    expect(mergeEngagement(e(1, 90, null, 0), e(0, 10, 500, 0))).toEqual(e(1, 90, 500, 0));
    expect(mergeEngagement(noEngagement, e(1, 100, 7, 2))).toEqual(e(1, 100, 7, 2));
  });

  it('merging is associative and commutative: the order events arrive in does not matter', () => {
    const arb = fc.record({
      plays: fc.nat(1000),
      maxWatchPercent: fc.integer({ min: 0, max: 100 }),
      lastPlayed: fc.option(fc.nat(2_000_000_000_000), { nil: null }),
      ctaClicks: fc.nat(1000),
    });
    fc.assert(
      fc.property(arb, arb, arb, (a, b, c) => {
        expect(mergeEngagement(a, b)).toEqual(mergeEngagement(b, a));
        expect(mergeEngagement(mergeEngagement(a, b), c)).toEqual(mergeEngagement(a, mergeEngagement(b, c)));
      }),
    );
  });

  it('round-trips through the outbox payload and the CRM properties', () => {
    const value = e(3, 75, Date.UTC(2026, 11, 1), 2);
    expect(engagementKind.parse(engagementKind.serialize(value))).toEqual(value);
    const props = toProperties(value, names);
    expect(props).toEqual({
      heygen_video_plays: '3',
      heygen_video_watch_percent: '75',
      heygen_video_cta_clicks: '2',
      heygen_video_last_played: '2026-12-01T00:00:00.000Z',
    });
    expect(fromProperties(props, names)).toEqual(value);
    expect(fromProperties({}, names)).toEqual(noEngagement);
  });

  it('a payload with nonsense counts as nothing rather than breaking the sum', () => {
    expect(engagementKind.parse('{"plays":-3,"maxWatchPercent":250,"lastPlayed":"x","ctaClicks":1.7}')).toEqual(e(0, 100, null, 1));
  });
});
