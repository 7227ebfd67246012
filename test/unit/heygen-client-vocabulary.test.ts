import { describe, expect, it } from 'vitest';
import {
  callbackMarker,
  matchesCallback,
  normaliseVideoStatus,
  signedUrlExpiry,
  toEpochMs,
  withCallbackMarker,
} from '../../src/heygen/types.js';

describe('HeyGen vocabulary', () => {
  it('normalises every status word HeyGen uses', () => {
    expect(['waiting', 'pending', 'queued', 'Processing', 'completed', 'failed', 'not_found'].map(normaliseVideoStatus)).toEqual([
      'queued',
      'queued',
      'queued',
      'processing',
      'completed',
      'failed',
      'not_found',
    ]);
    // An unknown word is not terminal.
    expect(normaliseVideoStatus('draft')).toBe('processing');
    expect(normaliseVideoStatus(undefined)).toBe('processing');
  });

  it('reads expiry from CloudFront and S3 signed URLs only', () => {
    expect(signedUrlExpiry('https://x/v.mp4?Expires=1773748800&Signature=s')).toBe(1_773_748_800_000);
    expect(signedUrlExpiry('https://x/v.mp4?X-Amz-Date=20260101T000000Z&X-Amz-Expires=60')).toBe(Date.UTC(2026, 0, 1) + 60_000);
    expect(signedUrlExpiry('https://x/v.mp4')).toBeUndefined();
    expect(signedUrlExpiry('not a url')).toBeUndefined();
  });

  it('reads seconds, milliseconds and ISO dates', () => {
    expect(toEpochMs(1_700_000_000)).toBe(1_700_000_000_000);
    expect(toEpochMs(1_700_000_000_000)).toBe(1_700_000_000_000);
    expect(toEpochMs('2026-01-01T00:00:00Z')).toBe(Date.UTC(2026, 0, 1));
    expect(toEpochMs(null)).toBeUndefined();
  });

  it('marks a title once with the first 12 characters of the callback id', () => {
    expect(callbackMarker('0123456789abcdef')).toBe('[rk:0123456789ab]');
    const once = withCallbackMarker('Hi Ada', '0123456789abcdef');
    expect(once).toBe('Hi Ada [rk:0123456789ab]');
    expect(withCallbackMarker(once, '0123456789abcdef')).toBe(once);
  });

  it('keeps the resubmission suffix in the marker, so a second submission never matches the first one', () => {
    const key = `rk_${'ab'.repeat(32)}`;
    expect(callbackMarker(key)).toBe('[rk:rk_ababababa]');
    expect(callbackMarker(`${key}:2`)).toBe('[rk:rk_ababababa:2]');
    const first = withCallbackMarker('Intro for Ada', key);
    const second = withCallbackMarker('Intro for Ada', `${key}:2`);
    expect(matchesCallback(`${key}:2`, { title: first })).toBe(false);
    expect(matchesCallback(key, { title: second })).toBe(false);
    expect(matchesCallback(`${key}:2`, { title: second })).toBe(true);
    expect(matchesCallback(`${key}:12`, { title: second })).toBe(false);
  });

  it('matches a marker only at the end of the title: text a contact controls cannot claim another render', () => {
    const victim = `rk_${'cd'.repeat(32)}`;
    const attacker = `rk_${'ef'.repeat(32)}`;
    // The attacker's first name carries the victim's marker; ours is still appended after it.
    const title = withCallbackMarker(`Intro for ${callbackMarker(victim)} at Evil Co`, attacker);
    expect(title.endsWith(callbackMarker(attacker))).toBe(true);
    expect(matchesCallback(victim, { title })).toBe(false);
    expect(matchesCallback(attacker, { title })).toBe(true);
    // Even a title that ends with someone else's marker gets its own appended.
    const ending = withCallbackMarker(`Hi ${callbackMarker(victim)}`, attacker);
    expect(matchesCallback(victim, { title: ending })).toBe(false);
  });
});
