/** Signs test deliveries the way HubSpot does (independently of src/, so tests check it). */
import { createHash, createHmac } from 'node:crypto';

/** v3 signs the URL with `%3A %2F %3F %40 %21 %24 %27 %28 %29 %2A %2C %3B` decoded (API-NOTES). */
export function signV3(secret: string, method: string, url: string, body: string, timestamp: number): Record<string, string> {
  const decoded = url.replace(/%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  const signature = createHmac('sha256', secret).update(`${method}${decoded}${body}${timestamp}`).digest('base64');
  return { 'x-hubspot-signature-v3': signature, 'x-hubspot-request-timestamp': String(timestamp) };
}

export function signV2(secret: string, method: string, url: string, body: string): Record<string, string> {
  return { 'x-hubspot-signature': createHash('sha256').update(`${secret}${method}${url}${body}`).digest('hex'), 'x-hubspot-signature-version': 'v2' };
}

export function signV1(secret: string, body: string): Record<string, string> {
  return { 'x-hubspot-signature': createHash('sha256').update(`${secret}${body}`).digest('hex'), 'x-hubspot-signature-version': 'v1' };
}
