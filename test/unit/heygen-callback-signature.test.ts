import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  verifyHeyGenSignature,
  type HeyGenSignatureInput,
  type InboundHeaders,
} from '../../src/heygen/callback-signature.js';

const KEY = Buffer.from('reelay-test-signing-key-32-bytes');
const SECRET = `whsec_${KEY.toString('base64')}`;
const NOW_S = 1_767_225_600;
const NOW_MS = NOW_S * 1000;
const BODY = '{"event_type":"avatar_video.success","event_data":{"video_id":"v_1","callback_id":"rk_1"}}';

/** Written from the Standard Webhooks spec, independently of the code under test. */
function standardSignature(key: Buffer, id: string, timestamp: number, body: string): string {
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

function standardHeaders(signature: string, timestamp: number = NOW_S, id = 'msg_1'): InboundHeaders {
  return { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': signature };
}

function verify(overrides: Partial<HeyGenSignatureInput> & { headers: InboundHeaders }) {
  return verifyHeyGenSignature({ rawBody: Buffer.from(BODY), secret: SECRET, nowMs: NOW_MS, ...overrides });
}

describe('Standard Webhooks signatures', () => {
  it('matches the reference example of the Standard Webhooks spec', () => {
    const result = verifyHeyGenSignature({
      rawBody: Buffer.from('{"test": 2432232314}'),
      headers: standardHeaders('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=', 1_614_265_330, 'msg_p5jXN8AQM9LWM0D4loKWxJek'),
      secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      nowMs: 1_614_265_330_000,
    });
    expect(result).toEqual({ ok: true, scheme: 'standard-webhooks' });
  });

  it('accepts a signature made with the base64-decoded whsec_ key', () => {
    expect(verify({ headers: standardHeaders(standardSignature(KEY, 'msg_1', NOW_S, BODY)) })).toEqual({
      ok: true,
      scheme: 'standard-webhooks',
    });
  });

  it('uses the UTF-8 bytes of a secret without the whsec_ prefix', () => {
    const secret = 'plain-secret';
    const signature = standardSignature(Buffer.from(secret), 'msg_1', NOW_S, BODY);
    expect(verify({ secret, headers: standardHeaders(signature) }).ok).toBe(true);
    expect(verify({ headers: standardHeaders(signature) }).ok).toBe(false);
  });

  it('passes when any of several signatures matches, as during a secret rotation', () => {
    const oldKey = Buffer.from('the-previous-signing-key-bytes!!');
    const header = [
      standardSignature(oldKey, 'msg_1', NOW_S, BODY),
      'v1a,c29tZXRoaW5nIGVsc2U=',
      standardSignature(KEY, 'msg_1', NOW_S, BODY),
    ].join(' ');
    expect(verify({ headers: standardHeaders(header) })).toEqual({ ok: true, scheme: 'standard-webhooks' });
    expect(verify({ headers: standardHeaders(standardSignature(oldKey, 'msg_1', NOW_S, BODY)) })).toEqual({
      ok: false,
      reason: 'signature mismatch (standard-webhooks)',
    });
  });

  it('rejects a tampered body, another message id and another timestamp', () => {
    const signature = standardSignature(KEY, 'msg_1', NOW_S, BODY);
    expect(verify({ rawBody: Buffer.from(BODY.replace('v_1', 'v_2')), headers: standardHeaders(signature) }).ok).toBe(false);
    expect(verify({ headers: standardHeaders(signature, NOW_S, 'msg_2') }).ok).toBe(false);
    expect(verify({ headers: standardHeaders(signature, NOW_S + 1) }).ok).toBe(false);
  });

  it('accepts the edges of the 5-minute window and rejects stale and future timestamps', () => {
    for (const timestamp of [NOW_S - 300, NOW_S + 300]) {
      expect(verify({ headers: standardHeaders(standardSignature(KEY, 'msg_1', timestamp, BODY), timestamp) }).ok).toBe(true);
    }
    for (const timestamp of [NOW_S - 301, NOW_S + 301]) {
      expect(verify({ headers: standardHeaders(standardSignature(KEY, 'msg_1', timestamp, BODY), timestamp) })).toEqual({
        ok: false,
        reason: 'timestamp outside the 5-minute window',
      });
    }
  });

  it('rejects malformed timestamps, incomplete headers and lists without v1 entries', () => {
    const signature = standardSignature(KEY, 'msg_1', NOW_S, BODY);
    expect(verify({ headers: standardHeaders(signature, NOW_MS) }).ok).toBe(false);
    expect(verify({ headers: { ...standardHeaders(signature), 'webhook-timestamp': 'now' } })).toEqual({
      ok: false,
      reason: 'invalid webhook-timestamp',
    });
    expect(verify({ headers: { 'webhook-id': 'msg_1', 'webhook-signature': signature } })).toEqual({
      ok: false,
      reason: 'incomplete standard-webhooks headers',
    });
    expect(verify({ headers: standardHeaders('v2,abc') })).toEqual({ ok: false, reason: 'no v1 signature in webhook-signature' });
  });

  it('reads headers case-insensitively', () => {
    const signature = standardSignature(KEY, 'msg_1', NOW_S, BODY);
    const headers = { 'Webhook-Id': 'msg_1', 'WEBHOOK-TIMESTAMP': String(NOW_S), 'Webhook-Signature': signature };
    expect(verify({ headers }).ok).toBe(true);
  });

  it('rejects a whsec_ secret that is not base64', () => {
    const signature = standardSignature(KEY, 'msg_1', NOW_S, BODY);
    expect(verify({ secret: 'whsec_not base64!', headers: standardHeaders(signature) })).toEqual({
      ok: false,
      reason: 'webhook secret is not valid base64 after whsec_',
    });
  });
});

describe('hex HMAC signatures', () => {
  const hex = (secret: string, body: string) => createHmac('sha256', secret).update(body).digest('hex');

  it('accepts x-heygen-signature and signature headers, keyed with the secret string as is', () => {
    const signature = hex(SECRET, BODY);
    expect(verify({ headers: { 'X-HeyGen-Signature': signature } })).toEqual({ ok: true, scheme: 'hex-hmac' });
    expect(verify({ headers: { signature: signature.toUpperCase() } })).toEqual({ ok: true, scheme: 'hex-hmac' });
    expect(verify({ headers: { 'x-heygen-signature': `sha256=${signature}` } }).ok).toBe(true);
  });

  it('rejects a tampered body, a wrong secret and a signature of the wrong length', () => {
    const signature = hex(SECRET, BODY);
    expect(verify({ rawBody: Buffer.from(`${BODY}\n`), headers: { 'x-heygen-signature': signature } })).toEqual({
      ok: false,
      reason: 'signature mismatch (hex-hmac)',
    });
    expect(verify({ headers: { 'x-heygen-signature': hex('wrong', BODY) } }).ok).toBe(false);
    expect(verify({ headers: { 'x-heygen-signature': signature.slice(2) } }).ok).toBe(false);
  });
});

describe('unsigned and unverifiable callbacks', () => {
  it('reports an unsigned callback', () => {
    expect(verify({ headers: { 'content-type': 'application/json' } })).toEqual({ ok: false, reason: 'unsigned callback' });
  });

  it('refuses to verify with an empty secret', () => {
    const signature = createHmac('sha256', '').update(BODY).digest('hex');
    expect(verify({ secret: '', headers: { signature } })).toEqual({ ok: false, reason: 'no webhook secret configured' });
  });

  it('never puts the secret or the expected signature in a reason', () => {
    const expected = standardSignature(KEY, 'msg_1', NOW_S, BODY).slice(3);
    const result = verify({ headers: standardHeaders('v1,AAAA') });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.reason).not.toContain(SECRET);
      expect(result.reason).not.toContain(expected);
    }
  });
});
