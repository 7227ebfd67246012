/** HubSpot's webhook signatures, computed over the exact bytes sent. */
import { createHash, createHmac } from 'node:crypto';

/** v1: hex sha256(clientSecret + body). */
export function signV1(clientSecret: string, body: string): string {
  return createHash('sha256').update(clientSecret + body).digest('hex');
}

/** v2: hex sha256(clientSecret + method + uri + body). */
export function signV2(clientSecret: string, method: string, uri: string, body: string): string {
  return createHash('sha256').update(clientSecret + method + uri + body).digest('hex');
}

/**
 * v3: base64 HMAC-SHA256(clientSecret, method + uri + body + timestamp), where
 * HubSpot signs the URI with these escapes decoded (API-NOTES, docs
 * "validating-requests"): `%3A %2F %3F %40 %21 %24 %27 %28 %29 %2A %2C %3B`.
 * Other escapes (`%20`, `%25`, ...) stay as they are.
 */
export function signV3(clientSecret: string, method: string, uri: string, body: string, timestamp: number): string {
  return createHmac('sha256', clientSecret).update(method + v3SignedUri(uri) + body + String(timestamp)).digest('base64');
}

const DECODED_FOR_V3: Readonly<Record<string, string>> = {
  '3A': ':', '2F': '/', '3F': '?', '40': '@', '21': '!', '24': '$', '27': "'", '28': '(', '29': ')', '2A': '*', '2C': ',', '3B': ';',
};

/** The URI as HubSpot feeds it to the v3 signature. Lower-case escapes are decoded too (UNCONFIRMED either way). */
export function v3SignedUri(uri: string): string {
  return uri.replace(/%([0-9A-Fa-f]{2})/g, (escape, hex: string) => DECODED_FOR_V3[hex.toUpperCase()] ?? escape);
}
