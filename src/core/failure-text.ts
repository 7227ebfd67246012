/**
 * Human sentences for provider failures: what an operator reads in the
 * timeline, the alert and the CRM's `heygen_render_error`.
 */
import type { ProviderError } from './errors.js';

export interface FailureTextContext {
  /** The HeyGen template the render uses, to name it when HeyGen says it does not exist. */
  templateId?: string;
}

const HEYGEN_CREDIT_CODES = new Set(['insufficient_credit', 'MOVIO_PAYMENT_INSUFFICIENT_CREDIT', 'payment_required', '4002']);
const HEYGEN_AUTH_CODES = new Set(['invalid_api_key', 'unauthorized', '40102']);

export const HEYGEN_OUT_OF_CREDIT = 'HeyGen account is out of credit: top up, then the queue resumes';
export const HEYGEN_QUOTA_EXCEEDED = 'HeyGen plan quota is used up: raise it, then the queue resumes';
export const HEYGEN_KEY_REJECTED = 'the HeyGen API key was rejected: renew HEYGEN_API_KEY';
export const HUBSPOT_TOKEN_REJECTED = 'the HubSpot token was rejected (401): renew HUBSPOT_ACCESS_TOKEN';
export const HUBSPOT_RECORD_GONE = 'the HubSpot record no longer exists';

export function isHeygenCreditCode(code: string): boolean {
  return HEYGEN_CREDIT_CODES.has(code);
}

function templateMissing(error: ProviderError, context: FailureTextContext): string | undefined {
  if (error.status !== 404 || !/template/i.test(`${error.code} ${error.operation}`)) return undefined;
  return context.templateId === undefined ? 'the HeyGen template does not exist' : `HeyGen template ${context.templateId} does not exist`;
}

function describeHeygen(error: ProviderError, context: FailureTextContext): string {
  if (isHeygenCreditCode(error.code) || error.status === 402) return HEYGEN_OUT_OF_CREDIT;
  if (error.code === 'quota_exceeded') return HEYGEN_QUOTA_EXCEEDED;
  if (HEYGEN_AUTH_CODES.has(error.code) || error.status === 401) return HEYGEN_KEY_REJECTED;
  if (error.status === 403) return `HeyGen refused access (403): ${error.message}`;
  return templateMissing(error, context) ?? `HeyGen refused the request: ${error.message}`;
}

function describeHubspot(error: ProviderError): string {
  if (error.status === 401) return HUBSPOT_TOKEN_REJECTED;
  if (error.status === 403) return `missing HubSpot scope: ${error.message}`;
  if (error.status === 404) return HUBSPOT_RECORD_GONE;
  return `HubSpot refused the request: ${error.message}`;
}

/**
 * The sentence for a permanent or blocking provider failure. Retryable
 * failures are transient and described by `ProviderError.describe()`.
 */
export function describeProviderFailure(error: ProviderError, context: FailureTextContext = {}): string {
  return error.provider === 'heygen' ? describeHeygen(error, context) : describeHubspot(error);
}

/** The sentence for a render HeyGen reports as failed (at status time, not at submit). */
export function describeRenderFailure(code: string | undefined, message: string | undefined): string {
  if (code !== undefined && isHeygenCreditCode(code)) return HEYGEN_OUT_OF_CREDIT;
  const detail = message?.trim() || code || 'no reason given';
  return `HeyGen failed the render: ${detail}`;
}
