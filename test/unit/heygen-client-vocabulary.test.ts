import { describe, expect, it } from 'vitest';
import {
  callbackMarker,
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
});
