/**
 * Reads the code, message and rate-limit policy out of a provider's error
 * body. One reader covers every shape we meet:
 *
 * - HubSpot: `{status:"error", message, category, errorType, policyName}`;
 * - HeyGen v3: `{error:{code, message}}`;
 * - HeyGen v2: `{error:{code, message}, data:null}` or `{error:{code}, message}`;
 * - HeyGen legacy v1: `{code, message}` (or `msg`).
 */

export interface ErrorBodyFacts {
  code: string | undefined;
  message: string | undefined;
  policy: string | undefined;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

export function readErrorBody(body: unknown): ErrorBodyFacts {
  if (!isRecord(body)) return { code: undefined, message: text(body), policy: undefined };
  const message = text(body.message) ?? text(body.msg);

  if (isRecord(body.error)) {
    return {
      code: text(body.error.code),
      message: text(body.error.message) ?? text(body.error.detail) ?? message,
      policy: undefined,
    };
  }
  if (body.errorType !== undefined || body.category !== undefined) {
    const errorType = text(body.errorType);
    return {
      code: errorType === 'RATE_LIMIT' ? 'RATE_LIMIT' : (text(body.category) ?? errorType),
      message,
      policy: text(body.policyName),
    };
  }
  // HeyGen v2 sometimes sends the error as a bare string.
  const bareError = text(body.error);
  return { code: text(body.code) ?? bareError, message: message ?? bareError, policy: undefined };
}
