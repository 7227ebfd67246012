import { describe, expect, it } from 'vitest';
import { classifyHttpFailure } from '../../src/core/classify.js';
import { seededRandom } from '../../src/core/clock.js';
import { ProviderError, type Provider } from '../../src/core/errors.js';
import { CRM_ERROR_MAX_LENGTH, decideAfterFailure, describeFailureForCrm, describeSkipForCrm, type FailureContext } from '../../src/core/retry-decision.js';

function providerError(provider: Provider, status: number, code: string, message: string, extra: Partial<ConstructorParameters<typeof ProviderError>[0]> = {}) {
  return new ProviderError({
    provider,
    operation: provider === 'heygen' ? 'templates.render' : 'crm.read',
    status,
    code,
    message,
    failureClass: classifyHttpFailure(provider, status, code),
    ...extra,
  });
}

function decide(error: unknown, overrides: Partial<FailureContext> = {}) {
  return decideAfterFailure({ error, attempt: 1, maxAttempts: 5, baseMs: 1000, capMs: 60_000, random: seededRandom(1), ...overrides });
}

describe('decideAfterFailure: retryable', () => {
  it('retries a 503 with a backoff delay inside the window', () => {
    const decision = decide(providerError('hubspot', 503, 'service_unavailable', 'down'), { attempt: 3 });
    expect(decision.kind).toBe('retry');
    if (decision.kind !== 'retry') return;
    expect(decision.delayMs).toBeGreaterThanOrEqual(0);
    expect(decision.delayMs).toBeLessThan(4000);
    expect(decision.reason).toBe('hubspot 503 service_unavailable: down');
  });

  it('honours Retry-After on a 429', () => {
    const decision = decide(providerError('heygen', 429, 'rate_limit_exceeded', 'slow down', { retryAfterMs: 30_000 }));
    expect(decision.kind).toBe('retry');
    if (decision.kind === 'retry') expect(decision.delayMs).toBeGreaterThanOrEqual(30_000);
  });

  it('retries network failures (no status)', () => {
    const error = new ProviderError({ provider: 'heygen', operation: 'videos.get', code: 'timeout', message: 'timed out', failureClass: 'retryable' });
    expect(decide(error)).toMatchObject({ kind: 'retry', reason: 'heygen timeout: timed out' });
  });

  it('gives up at maxAttempts with the last error', () => {
    const decision = decide(providerError('hubspot', 502, 'bad_gateway', 'upstream'), { attempt: 5, maxAttempts: 5 });
    expect(decision).toEqual({ kind: 'fail', code: 'bad_gateway', reason: 'gave up after 5 attempts: hubspot 502 bad_gateway: upstream' });
  });

  it('pauses HubSpot instead of burning attempts on the daily limit', () => {
    const error = providerError('hubspot', 429, 'RATE_LIMIT', 'daily limit', { policy: 'DAILY', retryAfterMs: 3_600_000 });
    expect(decide(error)).toEqual({
      kind: 'pause',
      scope: 'hubspot',
      code: 'RATE_LIMIT',
      reason: "HubSpot's daily API limit is used up: the queue resumes when it resets",
      resumeAfterMs: 3_600_000,
    });
  });

  it('retries the ten-secondly limit normally', () => {
    const error = providerError('hubspot', 429, 'RATE_LIMIT', 'burst', { policy: 'TEN_SECONDLY_ROLLING', retryAfterMs: 2000 });
    expect(decide(error).kind).toBe('retry');
  });
});

describe('decideAfterFailure: unexpected errors', () => {
  it('retries plain errors with their message', () => {
    expect(decide(new TypeError('cannot read x of undefined'))).toMatchObject({ kind: 'retry', reason: 'unexpected error: cannot read x of undefined' });
    expect(decide('a string was thrown')).toMatchObject({ kind: 'retry', reason: 'unexpected error: a string was thrown' });
  });

  it('fails them at maxAttempts', () => {
    expect(decide(new Error('boom'), { attempt: 7, maxAttempts: 7 })).toEqual({
      kind: 'fail',
      code: 'internal_error',
      reason: 'gave up after 7 attempts: unexpected error: boom',
    });
  });
});

describe('decideAfterFailure: permanent', () => {
  it('fails a HeyGen parameter error with its message', () => {
    expect(decide(providerError('heygen', 400, 'invalid_parameter', 'title is too long'))).toEqual({
      kind: 'fail',
      code: 'invalid_parameter',
      reason: 'HeyGen refused the request: title is too long',
    });
  });

  it('names a missing HeyGen template', () => {
    expect(decide(providerError('heygen', 404, 'not_found', 'Template not found'), { templateId: 'tpl_x' })).toEqual({
      kind: 'fail',
      code: 'not_found',
      reason: 'HeyGen template tpl_x does not exist',
    });
    expect(decide(providerError('heygen', 404, 'template_not_found', 'nope'))).toMatchObject({ reason: 'the HeyGen template does not exist' });
  });

  it('says when the HubSpot record is gone', () => {
    expect(decide(providerError('hubspot', 404, 'OBJECT_NOT_FOUND', 'resource not found'))).toEqual({
      kind: 'fail',
      code: 'OBJECT_NOT_FOUND',
      reason: 'the HubSpot record no longer exists',
    });
  });

  it('fails other HubSpot 4xx with the message', () => {
    expect(decide(providerError('hubspot', 400, 'VALIDATION_ERROR', 'Property values were not valid'))).toMatchObject({
      kind: 'fail',
      reason: 'HubSpot refused the request: Property values were not valid',
    });
  });

  it('never retries a permanent error, whatever the attempt', () => {
    expect(decide(providerError('heygen', 400, 'invalid_parameter', 'bad'), { attempt: 1, maxAttempts: 100 }).kind).toBe('fail');
  });

  it('makes up a code when the provider gave none', () => {
    expect(decide(providerError('hubspot', 400, '', 'bad'))).toMatchObject({ kind: 'fail', code: 'http_400' });
  });
});

describe('decideAfterFailure: blocking', () => {
  it('pauses HubSpot on a rejected token', () => {
    expect(decide(providerError('hubspot', 401, 'INVALID_AUTHENTICATION', 'expired'))).toEqual({
      kind: 'pause',
      scope: 'hubspot',
      code: 'INVALID_AUTHENTICATION',
      reason: 'the HubSpot token was rejected (401): renew HUBSPOT_ACCESS_TOKEN',
    });
  });

  it('pauses HubSpot on a missing scope, quoting HubSpot', () => {
    const decision = decide(providerError('hubspot', 403, 'MISSING_SCOPES', 'This app has not been granted crm.objects.deals.read'));
    expect(decision).toMatchObject({ kind: 'pause', scope: 'hubspot', reason: 'missing HubSpot scope: This app has not been granted crm.objects.deals.read' });
  });

  it.each([
    [402, 'insufficient_credit'],
    [400, 'MOVIO_PAYMENT_INSUFFICIENT_CREDIT'],
    [402, 'payment_required'],
  ])('pauses HeyGen when the account is out of credit (%s %s)', (status, code) => {
    expect(decide(providerError('heygen', status, code, 'no credit'))).toEqual({
      kind: 'pause',
      scope: 'heygen',
      code,
      reason: 'HeyGen account is out of credit: top up, then the queue resumes',
    });
  });

  it('pauses HeyGen on a used-up quota and on a rejected key', () => {
    expect(decide(providerError('heygen', 429, 'quota_exceeded', 'quota'))).toMatchObject({ kind: 'pause', reason: expect.stringContaining('quota') });
    expect(decide(providerError('heygen', 401, 'invalid_api_key', 'bad key'))).toMatchObject({
      kind: 'pause',
      scope: 'heygen',
      reason: 'the HeyGen API key was rejected: renew HEYGEN_API_KEY',
    });
  });
});

describe('describeFailureForCrm', () => {
  it('joins code and reason', () => {
    expect(describeFailureForCrm('insufficient_credit', 'HeyGen account is out of credit')).toBe('insufficient_credit: HeyGen account is out of credit');
  });

  it('keeps it on one line and at most 500 characters', () => {
    const text = describeFailureForCrm('invalid_parameter', `line one\nline two ${'x'.repeat(1000)}`);
    expect(text).not.toContain('\n');
    expect([...text]).toHaveLength(CRM_ERROR_MAX_LENGTH);
    expect(text.endsWith('…')).toBe(true);
  });

  it('prefixes skips with SKIPPED', () => {
    expect(describeSkipForCrm('first_name: property firstname is missing')).toBe('SKIPPED: first_name: property firstname is missing');
  });
});
