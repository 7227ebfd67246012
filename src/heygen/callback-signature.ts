/**
 * Verification of HeyGen webhook deliveries over the raw request bytes.
 * HeyGen's header names and scheme are not documented firmly, so two forms
 * are accepted:
 *
 * - Standard Webhooks: `webhook-id`, `webhook-timestamp` (epoch seconds) and
 *   `webhook-signature`, a space-separated list of `v1,<base64>` entries
 *   (several while a secret rotates; any match passes). The signed content is
 *   `${id}.${timestamp}.${body}`; the key is the base64 part of a `whsec_`
 *   secret, or the secret's UTF-8 bytes when it has no such prefix.
 * - Hex HMAC: `x-heygen-signature` or `signature` holding hex
 *   HMAC-SHA256(secret, body). This form carries no timestamp.
 *
 * A verified callback is still only a hint: the render's state is read from
 * the HeyGen API before anything acts on it.
 */
import { createHmac } from 'node:crypto';
import { constantTimeEqual, describeWindow, readHeader, type InboundHeaders } from '../core/signature-checks.js';

export type HeyGenSignatureScheme = 'standard-webhooks' | 'hex-hmac';

export type { InboundHeaders };

export interface HeyGenSignatureInput {
  rawBody: Buffer;
  headers: InboundHeaders;
  secret: string;
  nowMs: number;
  /** How far `webhook-timestamp` may lie from `nowMs`, in either direction. */
  maxSkewMs?: number;
}

export type HeyGenSignatureResult =
  | { ok: true; scheme: HeyGenSignatureScheme }
  | { ok: false; reason: string };

export const DEFAULT_MAX_SKEW_MS = 300_000;

const SECRET_PREFIX = 'whsec_';

export function verifyHeyGenSignature(input: HeyGenSignatureInput): HeyGenSignatureResult {
  if (input.secret.length === 0) return { ok: false, reason: 'no webhook secret configured' };

  const id = readHeader(input.headers, 'webhook-id');
  const timestamp = readHeader(input.headers, 'webhook-timestamp');
  const signatures = readHeader(input.headers, 'webhook-signature');
  if (id !== undefined || timestamp !== undefined || signatures !== undefined) {
    if (id === undefined || timestamp === undefined || signatures === undefined) {
      return { ok: false, reason: 'incomplete standard-webhooks headers' };
    }
    return verifyStandardWebhooks(input, id, timestamp.trim(), signatures);
  }

  const hexSignature = readHeader(input.headers, 'x-heygen-signature') ?? readHeader(input.headers, 'signature');
  if (hexSignature === undefined) return { ok: false, reason: 'unsigned callback' };
  return verifyHexHmac(input, hexSignature);
}

function verifyStandardWebhooks(
  input: HeyGenSignatureInput,
  id: string,
  timestamp: string,
  signatureHeader: string,
): HeyGenSignatureResult {
  if (!/^\d{1,13}$/.test(timestamp)) return { ok: false, reason: 'invalid webhook-timestamp' };
  const maxSkewMs = input.maxSkewMs ?? DEFAULT_MAX_SKEW_MS;
  if (Math.abs(input.nowMs - Number(timestamp) * 1000) > maxSkewMs) {
    return { ok: false, reason: `timestamp outside the ${describeWindow(maxSkewMs)} window` };
  }

  const key = signingKey(input.secret);
  if (key === undefined) return { ok: false, reason: 'webhook secret is not valid base64 after whsec_' };

  const expected = createHmac('sha256', key)
    .update(`${id}.${timestamp}.`, 'utf8')
    .update(input.rawBody)
    .digest('base64');

  const candidates = signatureHeader
    .split(/\s+/)
    .filter((entry) => entry.startsWith('v1,'))
    .map((entry) => entry.slice('v1,'.length));
  if (candidates.length === 0) return { ok: false, reason: 'no v1 signature in webhook-signature' };

  // Check every candidate, so the time taken does not reveal which one matched.
  let matched = false;
  for (const candidate of candidates) matched = constantTimeEqual(expected, candidate) || matched;
  return matched ? { ok: true, scheme: 'standard-webhooks' } : { ok: false, reason: 'signature mismatch (standard-webhooks)' };
}

function verifyHexHmac(input: HeyGenSignatureInput, header: string): HeyGenSignatureResult {
  const received = header.trim().toLowerCase().replace(/^sha256=/, '');
  const expected = createHmac('sha256', Buffer.from(input.secret, 'utf8')).update(input.rawBody).digest('hex');
  return constantTimeEqual(expected, received)
    ? { ok: true, scheme: 'hex-hmac' }
    : { ok: false, reason: 'signature mismatch (hex-hmac)' };
}

function signingKey(secret: string): Buffer | undefined {
  if (!secret.startsWith(SECRET_PREFIX)) return Buffer.from(secret, 'utf8');
  const encoded = secret.slice(SECRET_PREFIX.length);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) return undefined;
  return Buffer.from(encoded, 'base64');
}
