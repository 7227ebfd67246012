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

/** v3: base64 HMAC-SHA256(clientSecret, method + uri + body + timestamp). */
export function signV3(clientSecret: string, method: string, uri: string, body: string, timestamp: number): string {
  return createHmac('sha256', clientSecret).update(method + uri + body + String(timestamp)).digest('base64');
}
