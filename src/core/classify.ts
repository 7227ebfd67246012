/**
 * Classification of provider answers into retryable / permanent / blocking.
 * Pure: the clients feed it what they saw on the wire.
 */
import type { FailureClass, Provider } from './errors.js';

/** HeyGen codes that mean the account, not the request, is the problem. */
const HEYGEN_BLOCKING_CODES = new Set([
  'insufficient_credit',
  'quota_exceeded',
  'MOVIO_PAYMENT_INSUFFICIENT_CREDIT',
  'payment_required',
  'invalid_api_key',
  'unauthorized',
  '40102',
  '4002',
]);

const HEYGEN_RETRYABLE_CODES = new Set(['rate_limit_exceeded', 'internal_error', 'service_unavailable', 'request_in_progress', '5000']);

/** Classify an HTTP answer. `status` 0 means no answer (network failure or timeout). */
export function classifyHttpFailure(provider: Provider, status: number, code?: string): FailureClass {
  if (status === 0) return 'retryable';
  if (code && provider === 'heygen') {
    if (HEYGEN_BLOCKING_CODES.has(code)) return 'blocking';
    if (HEYGEN_RETRYABLE_CODES.has(code)) return 'retryable';
  }
  if (status === 401 || status === 403) return 'blocking';
  if (status === 402) return 'blocking';
  if (status === 408 || status === 425 || status === 429) return 'retryable';
  if (provider === 'hubspot' && status === 423) return 'retryable';
  if (status >= 500) return 'retryable';
  if (status === 409 && code === 'request_in_progress') return 'retryable';
  return 'permanent';
}

/**
 * Parse a `Retry-After` header: delta-seconds or an HTTP date. Returns
 * milliseconds from `nowMs`, or undefined when absent or unreadable.
 * `unit: 'ms'` reads HubSpot workflow semantics, where the number is milliseconds.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number, unit: 's' | 'ms' = 's'): number | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) {
    const n = Number(trimmed);
    return Math.max(0, Math.round(unit === 'ms' ? n : n * 1000));
  }
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}
