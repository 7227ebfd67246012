/**
 * Signatures on webhook deliveries. HeyGen's scheme is unconfirmed, so the
 * sandbox signs in one of the two accepted forms at a time (`signatureScheme`),
 * and tests run both, so a receiver that only handles one is caught:
 *
 * - `standard-webhooks` (default): `webhook-id`, `webhook-timestamp` (seconds)
 *   and `webhook-signature: v1,<base64 HMAC-SHA256(key, id.timestamp.body)>`,
 *   key = base64-decoded secret after `whsec_`;
 * - `hex-hmac`: `X-HeyGen-Signature: <hex HMAC-SHA256(secret string, body)>`.
 */
import { createHmac, randomBytes } from 'node:crypto';

const SECRET_PATTERN = /^whsec_[A-Za-z0-9+/]+={0,2}$/;

export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

export function isWebhookSecret(value: string): boolean {
  return SECRET_PATTERN.test(value);
}

export function standardWebhookSignature(secret: string, id: string, timestampSeconds: number, body: string): string {
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const mac = createHmac('sha256', key).update(`${id}.${timestampSeconds}.${body}`).digest('base64');
  return `v1,${mac}`;
}

export function heygenSignature(secret: string, body: string): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

export const signatureSchemes = ['standard-webhooks', 'hex-hmac'] as const;
export type SignatureScheme = (typeof signatureSchemes)[number];

export function signatureHeaders(
  secret: string,
  id: string,
  timestampSeconds: number,
  body: string,
  scheme: SignatureScheme = 'standard-webhooks',
): Record<string, string> {
  if (scheme === 'hex-hmac') return { 'x-heygen-signature': heygenSignature(secret, body) };
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': standardWebhookSignature(secret, id, timestampSeconds, body),
  };
}
