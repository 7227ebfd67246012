/** Signs test deliveries the way HubSpot does (independently of src/, so tests check it). */
import { createHash, createHmac } from 'node:crypto';

export function signV3(secret: string, method: string, url: string, body: string, timestamp: number): Record<string, string> {
  const signature = createHmac('sha256', secret).update(`${method}${url}${body}${timestamp}`).digest('base64');
  return { 'x-hubspot-signature-v3': signature, 'x-hubspot-request-timestamp': String(timestamp) };
}

export function signV2(secret: string, method: string, url: string, body: string): Record<string, string> {
  return { 'x-hubspot-signature': createHash('sha256').update(`${secret}${method}${url}${body}`).digest('hex'), 'x-hubspot-signature-version': 'v2' };
}

export function signV1(secret: string, body: string): Record<string, string> {
  return { 'x-hubspot-signature': createHash('sha256').update(`${secret}${body}`).digest('hex'), 'x-hubspot-signature-version': 'v1' };
}
