/**
 * Verification of HubSpot's inbound request signatures (v1, v2, v3) over the
 * raw request bytes. Docs: developers.hubspot.com/docs/api/webhooks/validating-requests.
 *
 * - v1: hex sha256(clientSecret + body)
 * - v2: hex sha256(clientSecret + method + uri + body)
 * - v3: base64 HMAC-SHA256(clientSecret, method + uri + body + timestamp),
 *       timestamp in epoch ms, accepted only within `maxSkewMs` of now.
 *
 * Unlike the official SDK, comparisons run in constant time and timestamps
 * from the future are rejected as well as stale ones.
 */
import { createHash, createHmac } from 'node:crypto';
import { constantTimeEqual, describeWindow, readHeader, type InboundHeaders } from '../core/signature-checks.js';

export type HubSpotSignatureVersion = 'v1' | 'v2' | 'v3';

export type { InboundHeaders };

export interface HubSpotSignatureInput {
  method: string;
  /** The full URI HubSpot called, query string in its original order (see `buildSignatureUri`). */
  uri: string;
  rawBody: Buffer;
  headers: InboundHeaders;
  clientSecret: string;
  nowMs: number;
  /** How far a v3 timestamp may lie from `nowMs`, in either direction. */
  maxSkewMs?: number;
}

export type HubSpotSignatureResult =
  | { ok: true; version: HubSpotSignatureVersion }
  | { ok: false; reason: string };

export const DEFAULT_MAX_SKEW_MS = 300_000;

const HEADER_V3 = 'x-hubspot-signature-v3';
const HEADER_TIMESTAMP = 'x-hubspot-request-timestamp';
const HEADER_LEGACY = 'x-hubspot-signature';
const HEADER_VERSION = 'x-hubspot-signature-version';

export function verifyHubSpotSignature(input: HubSpotSignatureInput): HubSpotSignatureResult {
  if (input.clientSecret.length === 0) return { ok: false, reason: 'no client secret configured' };

  const v3 = readHeader(input.headers, HEADER_V3);
  if (v3 !== undefined) return verifyV3(input, v3);

  const legacy = readHeader(input.headers, HEADER_LEGACY);
  if (legacy === undefined) return { ok: false, reason: 'missing signature' };

  const version = (readHeader(input.headers, HEADER_VERSION) ?? 'v1').trim().toLowerCase();
  if (version !== 'v1' && version !== 'v2') return { ok: false, reason: 'unsupported signature version' };

  const hash = createHash('sha256').update(input.clientSecret, 'utf8');
  if (version === 'v2') hash.update(input.method + input.uri, 'utf8');
  const expected = hash.update(input.rawBody).digest('hex');

  return constantTimeEqual(expected, legacy.trim().toLowerCase())
    ? { ok: true, version }
    : { ok: false, reason: `signature mismatch (${version})` };
}

function verifyV3(input: HubSpotSignatureInput, signature: string): HubSpotSignatureResult {
  const timestamp = readHeader(input.headers, HEADER_TIMESTAMP)?.trim();
  if (timestamp === undefined || timestamp.length === 0) return { ok: false, reason: 'missing timestamp (v3)' };
  if (!/^\d{1,16}$/.test(timestamp)) return { ok: false, reason: 'invalid timestamp (v3)' };

  const maxSkewMs = input.maxSkewMs ?? DEFAULT_MAX_SKEW_MS;
  if (Math.abs(input.nowMs - Number(timestamp)) > maxSkewMs) {
    return { ok: false, reason: `timestamp outside the ${describeWindow(maxSkewMs)} window` };
  }

  const expected = createHmac('sha256', input.clientSecret)
    .update(input.method + decodeV3Uri(input.uri), 'utf8')
    .update(input.rawBody)
    .update(timestamp, 'utf8')
    .digest('base64');

  return constantTimeEqual(expected, signature.trim())
    ? { ok: true, version: 'v3' }
    : { ok: false, reason: 'signature mismatch (v3)' };
}

const V3_DECODED_ESCAPES = /%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi;

/** HubSpot signs v3 over the URI with these reserved characters un-escaped. */
export function decodeV3Uri(uri: string): string {
  return uri.replace(V3_DECODED_ESCAPES, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

export interface SignatureUriParts {
  /** `PUBLIC_URL`; when set it wins over the Host header. */
  publicUrl?: string;
  /** Path including the query string, exactly as received. */
  path: string;
  host?: string;
  /** Usually `x-forwarded-proto`; defaults to `http`. */
  protocol?: string;
}

/**
 * The URI HubSpot signed for v2/v3: `PUBLIC_URL` + path + query when a public
 * URL is configured, else scheme://Host + path + query. Without either a
 * public URL or a Host header only the path is returned, which no v2/v3
 * signature will match.
 */
export function buildSignatureUri(parts: SignatureUriParts): string {
  const path = parts.path.startsWith('/') ? parts.path : `/${parts.path}`;
  const publicUrl = parts.publicUrl?.trim();
  if (publicUrl) return publicUrl.replace(/\/+$/, '') + path;

  const host = parts.host?.trim();
  if (!host) return path;
  // Behind several proxies x-forwarded-proto may read "https, http": the first hop is the client's.
  const protocol = parts.protocol?.split(',')[0]?.trim().toLowerCase() || 'http';
  return `${protocol}://${host}${path}`;
}
