/**
 * Fuzzing the inbound signature checks (`src/hubspot/signature.ts`,
 * `src/heygen/callback-signature.ts`, `src/core/signature-checks.ts`):
 * random inputs never throw; a valid signature verifies, and the same
 * signature over a mutated body, URI, timestamp or id never does. The
 * signatures are made here (and in test/helpers/signing.ts), independently
 * of the code under test.
 */
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { constantTimeEqual, readHeader, type InboundHeaders } from '../../src/core/signature-checks.js';
import { verifyHeyGenSignature } from '../../src/heygen/callback-signature.js';
import { verifyHubSpotSignature } from '../../src/hubspot/signature.js';
import { signV1, signV2, signV3 } from '../helpers/signing.js';
import { fuzz, mutated } from './fuzz.js';

const NOW = 1_767_225_600_000;

/** The URI as HubSpot's v3 signature sees it (written here from API-NOTES). */
const v3Uri = (uri: string): string => uri.replace(/%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));

const secret = fc.string({ minLength: 1, maxLength: 40 });
const body = fc.oneof(fc.json({ maxDepth: 3 }), fc.string({ maxLength: 200 }));
const uri = fc.oneof(
  fc.webUrl({ withQueryParameters: true, withFragments: false }),
  fc.tuple(fc.webUrl(), fc.array(fc.constantFrom('%3A', '%2F', '%3f', '%40', '%20', '%25', 'a', '=', '&', ':', '/'), { maxLength: 12 })).map(([u, parts]) => `${u}?q=${parts.join('')}`),
);
const headerValue = fc.oneof(fc.string({ maxLength: 60 }), fc.array(fc.string({ maxLength: 30 }), { maxLength: 3 }), fc.constant(undefined));
const headerName = fc.constantFrom(
  'x-hubspot-signature', 'x-hubspot-signature-v3', 'x-hubspot-signature-version', 'x-hubspot-request-timestamp',
  'webhook-id', 'webhook-timestamp', 'webhook-signature', 'x-heygen-signature', 'signature', 'X-HubSpot-Signature', 'content-type',
);
const headers: fc.Arbitrary<InboundHeaders> = fc.dictionary(headerName, headerValue, { maxKeys: 6 });

describe('HubSpot signatures under fuzzing', () => {
  it('random inputs never throw', () => {
    fuzz(
      fc.property(fc.string({ maxLength: 8 }), fc.string({ maxLength: 80 }), fc.uint8Array({ maxLength: 200 }), headers, fc.string({ maxLength: 20 }), fc.double(), (method, u, raw, h, s, now) => {
        const result = verifyHubSpotSignature({ method, uri: u, rawBody: Buffer.from(raw), headers: h, clientSecret: s, nowMs: now });
        expect(result.ok === true || typeof result.reason === 'string').toBe(true);
      }),
      5_000,
    );
  });

  it('a valid v3 signature verifies, and never over a mutated body, URI or timestamp', () => {
    fuzz(
      fc.property(secret, uri, body, fc.integer({ min: -290_000, max: 290_000 }), (s, u, b, skew) => {
        const ts = NOW + skew;
        const signed = signV3(s, 'POST', u, b, ts);
        const check = (uri2: string, body2: string, headers2: InboundHeaders) =>
          verifyHubSpotSignature({ method: 'POST', uri: uri2, rawBody: Buffer.from(body2), headers: headers2, clientSecret: s, nowMs: NOW });
        expect(check(u, b, signed)).toEqual({ ok: true, version: 'v3' });
      }),
      2_000,
    );
    fuzz(
      fc.property(secret, uri, body, mutated(uri), mutated(body), mutated(fc.constant(String(NOW))), (s, u, b, u2, b2, ts2) => {
        const signed = signV3(s, 'POST', u, b, NOW);
        const check = (uri2: string, body2: string, headers2: InboundHeaders) =>
          verifyHubSpotSignature({ method: 'POST', uri: uri2, rawBody: Buffer.from(body2), headers: headers2, clientSecret: s, nowMs: NOW }).ok;
        if (v3Uri(u2) !== v3Uri(u)) expect(check(u2, b, signed)).toBe(false);
        if (Buffer.compare(Buffer.from(b2), Buffer.from(b)) !== 0) expect(check(u, b2, signed)).toBe(false);
        if (ts2.trim() !== String(NOW)) expect(check(u, b, { ...signed, 'x-hubspot-request-timestamp': ts2 })).toBe(false);
        expect(check(u, b, { ...signed, 'x-hubspot-signature-v3': `${signed['x-hubspot-signature-v3']}x` })).toBe(false);
      }),
      4_000,
    );
  });

  it('a valid v1/v2 signature verifies, and never over a mutated body or (v2) URI', () => {
    fuzz(
      fc.property(secret, uri, body, mutated(uri), mutated(body), (s, u, b, u2, b2) => {
        const v1 = signV1(s, b);
        const v2 = signV2(s, 'POST', u, b);
        const check = (uri2: string, body2: string, h: InboundHeaders) =>
          verifyHubSpotSignature({ method: 'POST', uri: uri2, rawBody: Buffer.from(body2), headers: h, clientSecret: s, nowMs: NOW });
        expect(check(u, b, v1)).toEqual({ ok: true, version: 'v1' });
        expect(check(u, b, v2)).toEqual({ ok: true, version: 'v2' });
        const bodyChanged = Buffer.compare(Buffer.from(b2), Buffer.from(b)) !== 0;
        if (bodyChanged) expect(check(u, b2, v1).ok).toBe(false);
        if (bodyChanged) expect(check(u, b2, v2).ok).toBe(false);
        if (Buffer.compare(Buffer.from(u2), Buffer.from(u)) !== 0) expect(check(u2, b, v2).ok).toBe(false);
      }),
      4_000,
    );
  });

  it('a mutated signature header never verifies', () => {
    fuzz(
      fc.property(secret, body, fc.nat(2), fc.string({ minLength: 1, maxLength: 3 }), fc.nat(), (s, b, version, noise, at) => {
        const headersFor = [signV1(s, b), signV2(s, 'POST', 'https://r.example/webhooks/hubspot', b), signV3(s, 'POST', 'https://r.example/webhooks/hubspot', b, NOW)][version] as Record<string, string>;
        const name = version === 2 ? 'x-hubspot-signature-v3' : 'x-hubspot-signature';
        const original = headersFor[name] as string;
        const i = at % (original.length + 1);
        const forged = original.slice(0, i) + noise + original.slice(i + noise.length);
        const same = version === 2 ? forged.trim() === original : forged.trim().toLowerCase() === original;
        const result = verifyHubSpotSignature({ method: 'POST', uri: 'https://r.example/webhooks/hubspot', rawBody: Buffer.from(b), headers: { ...headersFor, [name]: forged }, clientSecret: s, nowMs: NOW });
        expect(result.ok).toBe(same);
      }),
      4_000,
    );
  });
});

/** Standard Webhooks, written from its spec. */
function standardHeaders(key: Buffer, id: string, timestamp: string, b: string): Record<string, string> {
  const signature = createHmac('sha256', key).update(`${id}.${timestamp}.${b}`).digest('base64');
  return { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': `v1,${signature}` };
}

describe('HeyGen signatures under fuzzing', () => {
  const keyBytes = fc.uint8Array({ minLength: 1, maxLength: 48 }).map((k) => Buffer.from(k));

  it('random inputs never throw', () => {
    fuzz(
      fc.property(fc.uint8Array({ maxLength: 200 }), headers, fc.oneof(fc.string({ maxLength: 40 }), fc.string({ maxLength: 30 }).map((s) => `whsec_${s}`)), fc.double(), (raw, h, s, now) => {
        const result = verifyHeyGenSignature({ rawBody: Buffer.from(raw), headers: h, secret: s, nowMs: now });
        expect(result.ok === true || typeof result.reason === 'string').toBe(true);
      }),
      5_000,
    );
  });

  it('a valid Standard Webhooks signature verifies, and never over a mutated body, id or timestamp', () => {
    fuzz(
      fc.property(keyBytes, fc.string({ minLength: 1, maxLength: 30 }), body, mutated(body), mutated(fc.string({ minLength: 1, maxLength: 30 })), mutated(fc.constant(String(NOW / 1000))), (key, id, b, b2, id2, ts2) => {
        const secret = `whsec_${key.toString('base64')}`;
        const ts = String(NOW / 1000);
        const signed = standardHeaders(key, id, ts, b);
        const check = (h: Record<string, string>, b3: string) => verifyHeyGenSignature({ rawBody: Buffer.from(b3), headers: h, secret, nowMs: NOW }).ok;
        expect(check(signed, b)).toBe(true);
        if (Buffer.compare(Buffer.from(b2), Buffer.from(b)) !== 0) expect(check(signed, b2)).toBe(false);
        if (id2 !== id) expect(check({ ...signed, 'webhook-id': id2 }, b)).toBe(false);
        if (ts2.trim() !== ts) expect(check({ ...signed, 'webhook-timestamp': ts2 }, b)).toBe(false);
      }),
      4_000,
    );
  });

  it('a valid hex HMAC verifies, and never over a mutated body', () => {
    fuzz(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }).filter((s) => !s.startsWith('whsec_')), body, mutated(body), (s, b, b2) => {
        const signature = createHmac('sha256', Buffer.from(s, 'utf8')).update(b).digest('hex');
        const check = (b3: string) => verifyHeyGenSignature({ rawBody: Buffer.from(b3), headers: { 'x-heygen-signature': signature }, secret: s, nowMs: NOW }).ok;
        expect(check(b)).toBe(true);
        if (Buffer.compare(Buffer.from(b2), Buffer.from(b)) !== 0) expect(check(b2)).toBe(false);
      }),
      4_000,
    );
  });
});

describe('shared signature pieces under fuzzing', () => {
  it('constantTimeEqual is exactly string equality', () => {
    const text = fc.oneof(fc.string({ maxLength: 12 }), fc.string({ maxLength: 6, unit: 'binary' }), fc.constantFrom('\uD800', '\uDBFF', '\uFFFD', 'a\uD800', 'a\uDC00'));
    fuzz(
      fc.property(text, text, (a, b) => {
        expect(constantTimeEqual(a, b)).toBe(a === b);
        expect(constantTimeEqual(a, a)).toBe(true);
      }),
      10_000,
    );
  });

  it('readHeader never throws and returns the first value of the header asked for', () => {
    fuzz(
      fc.property(headers, headerName, (h, name) => {
        const value = readHeader(h, name.toLowerCase());
        if (value !== undefined) expect(typeof value).toBe('string');
      }),
      5_000,
    );
  });
});
