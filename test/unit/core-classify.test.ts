import { describe, expect, it } from 'vitest';
import { classifyHttpFailure, parseRetryAfter } from '../../src/core/classify.js';
import type { FailureClass, Provider } from '../../src/core/errors.js';

describe('classifyHttpFailure', () => {
  it.each<[Provider, number, string | undefined, FailureClass]>([
    ['hubspot', 0, undefined, 'retryable'],
    ['heygen', 0, 'insufficient_credit', 'retryable'],
    ['hubspot', 408, undefined, 'retryable'],
    ['hubspot', 425, undefined, 'retryable'],
    ['hubspot', 429, 'RATE_LIMIT', 'retryable'],
    ['hubspot', 423, undefined, 'retryable'],
    ['heygen', 423, undefined, 'permanent'],
    ['hubspot', 500, undefined, 'retryable'],
    ['heygen', 502, undefined, 'retryable'],
    ['heygen', 503, undefined, 'retryable'],
    ['heygen', 409, 'request_in_progress', 'retryable'],
    ['hubspot', 409, 'request_in_progress', 'retryable'],
    ['heygen', 400, 'rate_limit_exceeded', 'retryable'],
    ['heygen', 400, '5000', 'retryable'],
    ['hubspot', 401, undefined, 'blocking'],
    ['hubspot', 403, 'MISSING_SCOPES', 'blocking'],
    ['heygen', 402, undefined, 'blocking'],
    ['heygen', 400, 'insufficient_credit', 'blocking'],
    ['heygen', 200, 'MOVIO_PAYMENT_INSUFFICIENT_CREDIT', 'blocking'],
    ['heygen', 429, 'quota_exceeded', 'blocking'],
    ['heygen', 400, 'invalid_api_key', 'blocking'],
    ['heygen', 400, '40102', 'blocking'],
    ['heygen', 400, 'invalid_parameter', 'permanent'],
    ['heygen', 400, '40119', 'permanent'],
    ['heygen', 404, 'not_found', 'permanent'],
    ['hubspot', 404, 'OBJECT_NOT_FOUND', 'permanent'],
    ['hubspot', 409, 'CONFLICT', 'permanent'],
    ['hubspot', 400, 'VALIDATION_ERROR', 'permanent'],
    ['hubspot', 400, 'insufficient_credit', 'permanent'],
  ])('%s %s %s -> %s', (provider, status, code, expected) => {
    expect(classifyHttpFailure(provider, status, code)).toBe(expected);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.UTC(2026, 0, 1, 12, 0, 0);

  it('reads delta-seconds', () => {
    expect(parseRetryAfter('10', now)).toBe(10_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('1.5', now)).toBe(1500);
  });

  it('reads milliseconds when asked (HubSpot workflow semantics)', () => {
    expect(parseRetryAfter('2500', now, 'ms')).toBe(2500);
  });

  it('reads an HTTP date relative to now', () => {
    expect(parseRetryAfter('Thu, 01 Jan 2026 12:00:30 GMT', now)).toBe(30_000);
  });

  it('never returns a negative wait for a past date', () => {
    expect(parseRetryAfter('Thu, 01 Jan 2026 11:00:00 GMT', now)).toBe(0);
  });

  it('never returns a negative wait, even for a negative number (which Date.parse reads as a year)', () => {
    expect(parseRetryAfter('-5', now)).toBe(0);
  });

  it.each([undefined, null, '', '   ', 'soon', '10s', 'NaN'])('ignores %j', (value) => {
    expect(parseRetryAfter(value, now)).toBeUndefined();
  });
});
