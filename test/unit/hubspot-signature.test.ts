import { Signature } from '@hubspot/api-client';
import { describe, expect, it } from 'vitest';
import {
  buildSignatureUri,
  decodeV3Uri,
  verifyHubSpotSignature,
  type HubSpotSignatureInput,
  type InboundHeaders,
} from '../../src/hubspot/signature.js';

const SECRET = 'yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy';
const NOW = 1_700_000_000_000;
const BODY =
  '[{"eventId":1,"subscriptionId":12345,"portalId":62515,"occurredAt":1564113600000,"subscriptionType":"contact.creation","attemptNumber":0,"objectId":123,"changeSource":"CRM","changeFlag":"NEW","appId":54321}]';
const URI = 'https://reelay.example.com/webhooks/hubspot?campaign=bdr-intro&x=1';

/** Signatures made by the official SDK, the independent oracle for these tests. */
function sdkSign(version: 'v1' | 'v2' | 'v3', opts: { method?: string; uri?: string; body: string; timestamp?: number; secret?: string }): string {
  return Signature.getSignature(opts.method ?? 'POST', version, {
    signature: '',
    clientSecret: opts.secret ?? SECRET,
    requestBody: opts.body,
    url: opts.uri ?? URI,
    ...(opts.timestamp === undefined ? {} : { timestamp: opts.timestamp }),
  });
}

function verify(overrides: Partial<HubSpotSignatureInput> & { headers: InboundHeaders }) {
  return verifyHubSpotSignature({
    method: 'POST',
    uri: URI,
    rawBody: Buffer.from(BODY),
    clientSecret: SECRET,
    nowMs: NOW,
    ...overrides,
  });
}

function v3Headers(signature: string, timestamp: number | string = NOW): InboundHeaders {
  return { 'x-hubspot-signature-v3': signature, 'x-hubspot-request-timestamp': String(timestamp) };
}

describe('HubSpot v3 signatures', () => {
  it('matches the known vector from API-NOTES', () => {
    const result = verifyHubSpotSignature({
      method: 'POST',
      uri: 'https://www.example.com/webhook_uri',
      rawBody: Buffer.from('{"example_field":"example_value"}'),
      headers: v3Headers('rQEKkaNUiu+1qGF//O/pw4BCzstSqO1PyUnGICmf+7o=', 1_700_000_000_000),
      clientSecret: SECRET,
      nowMs: 1_700_000_000_000 + 1_000,
    });
    expect(result).toEqual({ ok: true, version: 'v3' });
  });

  it('accepts signatures made by the official SDK, including a query string and non-ASCII body', () => {
    const body = '{"firstname":"Zoë","company":"Ünïcode & Co"}';
    const signature = sdkSign('v3', { body, timestamp: NOW });
    expect(verify({ rawBody: Buffer.from(body), headers: v3Headers(signature) })).toEqual({ ok: true, version: 'v3' });
  });

  it('decodes the listed escapes in the URI (any hex case) before hashing, but no others', () => {
    const received = 'https://reelay.example.com/webhooks/hubspot?campaign=a%3Ab%2fc&q=%40x%2C%20y';
    const signedByHubSpot = 'https://reelay.example.com/webhooks/hubspot?campaign=a:b/c&q=@x,%20y';
    expect(decodeV3Uri(received)).toBe(signedByHubSpot);

    const signature = sdkSign('v3', { uri: signedByHubSpot, body: BODY, timestamp: NOW });
    expect(verify({ uri: received, headers: v3Headers(signature) })).toEqual({ ok: true, version: 'v3' });
    expect(decodeV3Uri('%3A%2F%3F%40%21%24%27%28%29%2A%2C%3B%20%2B')).toBe(":/?@!$'()*,;%20%2B");
  });

  it('rejects a tampered body, a wrong secret, another method and a reordered query', () => {
    const signature = sdkSign('v3', { body: BODY, timestamp: NOW });
    expect(verify({ rawBody: Buffer.from(BODY.replace('123', '124')), headers: v3Headers(signature) })).toEqual({
      ok: false,
      reason: 'signature mismatch (v3)',
    });
    expect(verify({ clientSecret: 'other-secret', headers: v3Headers(signature) }).ok).toBe(false);
    expect(verify({ method: 'PUT', headers: v3Headers(signature) }).ok).toBe(false);
    expect(verify({ uri: 'https://reelay.example.com/webhooks/hubspot?x=1&campaign=bdr-intro', headers: v3Headers(signature) }).ok).toBe(false);
  });

  it('rejects a timestamp that does not match the one signed', () => {
    const signature = sdkSign('v3', { body: BODY, timestamp: NOW });
    expect(verify({ headers: v3Headers(signature, NOW + 1) })).toEqual({ ok: false, reason: 'signature mismatch (v3)' });
  });

  it('accepts the edges of the 5-minute window and rejects stale and future timestamps', () => {
    for (const timestamp of [NOW - 300_000, NOW + 300_000]) {
      const signature = sdkSign('v3', { body: BODY, timestamp });
      expect(verify({ headers: v3Headers(signature, timestamp) }).ok).toBe(true);
    }
    for (const timestamp of [NOW - 300_001, NOW + 300_001]) {
      const signature = sdkSign('v3', { body: BODY, timestamp });
      expect(verify({ headers: v3Headers(signature, timestamp) })).toEqual({
        ok: false,
        reason: 'timestamp outside the 5-minute window',
      });
    }
  });

  it('honours a custom window', () => {
    const timestamp = NOW - 90_000;
    const signature = sdkSign('v3', { body: BODY, timestamp });
    expect(verify({ headers: v3Headers(signature, timestamp), maxSkewMs: 60_000 })).toEqual({
      ok: false,
      reason: 'timestamp outside the 1-minute window',
    });
    expect(verify({ headers: v3Headers(signature, timestamp), maxSkewMs: 120_000 }).ok).toBe(true);
  });

  it('rejects a missing or non-numeric timestamp', () => {
    const signature = sdkSign('v3', { body: BODY, timestamp: NOW });
    expect(verify({ headers: { 'x-hubspot-signature-v3': signature } })).toEqual({
      ok: false,
      reason: 'missing timestamp (v3)',
    });
    for (const bad of ['1.7e12', 'soon', '-1700000000000', '']) {
      expect(verify({ headers: v3Headers(signature, bad) }).ok).toBe(false);
    }
  });

  it('verifies v3 alone when present, even if a valid v1 signature comes along', () => {
    const headers: InboundHeaders = {
      ...v3Headers('AAAA'),
      'x-hubspot-signature': sdkSign('v1', { body: BODY }),
      'x-hubspot-signature-version': 'v1',
    };
    expect(verify({ headers })).toEqual({ ok: false, reason: 'signature mismatch (v3)' });
  });

  it('reads headers case-insensitively and takes the first of repeated values', () => {
    const signature = sdkSign('v3', { body: BODY, timestamp: NOW });
    const headers: InboundHeaders = {
      'X-HubSpot-Signature-V3': [signature, 'other'],
      'X-HUBSPOT-REQUEST-TIMESTAMP': String(NOW),
    };
    expect(verify({ headers })).toEqual({ ok: true, version: 'v3' });
  });
});

describe('HubSpot v1 and v2 signatures', () => {
  it('matches the documented v1 and v2 examples', () => {
    expect(
      verify({
        headers: { 'x-hubspot-signature': '232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de' },
      }),
    ).toEqual({ ok: true, version: 'v1' });
    expect(
      verify({
        method: 'GET',
        uri: 'https://www.example.com/webhook_uri',
        rawBody: Buffer.alloc(0),
        headers: {
          'x-hubspot-signature': 'eee2dddcc73c94d699f5e395f4b9d454a069a6855fbfa152e91e88823087200e',
          'x-hubspot-signature-version': 'v2',
        },
      }),
    ).toEqual({ ok: true, version: 'v2' });
  });

  it('accepts v1 signatures from the SDK and treats a missing version header as v1', () => {
    const signature = sdkSign('v1', { body: BODY });
    expect(Signature.isValid({ signature, clientSecret: SECRET, requestBody: BODY, signatureVersion: 'v1' })).toBe(true);
    expect(verify({ headers: { 'x-hubspot-signature': signature, 'x-hubspot-signature-version': 'v1' } })).toEqual({
      ok: true,
      version: 'v1',
    });
    expect(verify({ headers: { 'X-HubSpot-Signature': signature.toUpperCase() } })).toEqual({ ok: true, version: 'v1' });
  });

  it('accepts v2 signatures from the SDK over the URI exactly as requested, escapes included', () => {
    const uri = 'https://reelay.example.com/webhooks/hubspot?campaign=a%3Ab&z=1&a=2';
    const signature = sdkSign('v2', { uri, body: BODY });
    expect(
      Signature.isValid({ signature, clientSecret: SECRET, requestBody: BODY, url: uri, signatureVersion: 'v2' }),
    ).toBe(true);
    const headers = { 'x-hubspot-signature': signature, 'X-HubSpot-Signature-Version': 'V2' };
    expect(verify({ uri, headers })).toEqual({ ok: true, version: 'v2' });
    expect(verify({ uri: decodeV3Uri(uri), headers })).toEqual({ ok: false, reason: 'signature mismatch (v2)' });
    expect(verify({ uri: 'https://reelay.example.com/webhooks/hubspot?campaign=a%3Ab&a=2&z=1', headers }).ok).toBe(false);
  });

  it('rejects a tampered body and a wrong secret', () => {
    const v1 = { 'x-hubspot-signature': sdkSign('v1', { body: BODY }) };
    expect(verify({ rawBody: Buffer.from(`${BODY} `), headers: v1 })).toEqual({
      ok: false,
      reason: 'signature mismatch (v1)',
    });
    const v2 = { 'x-hubspot-signature': sdkSign('v2', { body: BODY, secret: 'wrong' }), 'x-hubspot-signature-version': 'v2' };
    expect(verify({ headers: v2 })).toEqual({ ok: false, reason: 'signature mismatch (v2)' });
  });

  it('rejects missing signatures, unknown versions and signatures of the wrong length without throwing', () => {
    expect(verify({ headers: {} })).toEqual({ ok: false, reason: 'missing signature' });
    expect(verify({ headers: { 'x-hubspot-signature-version': 'v1' } })).toEqual({ ok: false, reason: 'missing signature' });
    expect(verify({ headers: { 'x-hubspot-signature': 'abc', 'x-hubspot-signature-version': 'v9' } })).toEqual({
      ok: false,
      reason: 'unsupported signature version',
    });
    expect(verify({ headers: { 'x-hubspot-signature': 'abc' } })).toEqual({ ok: false, reason: 'signature mismatch (v1)' });
    expect(verify({ headers: { 'x-hubspot-signature': 'é'.repeat(64) } }).ok).toBe(false);
  });

  it('refuses to verify with an empty client secret', () => {
    const signature = sdkSign('v1', { body: BODY, secret: '' });
    expect(verify({ clientSecret: '', headers: { 'x-hubspot-signature': signature } })).toEqual({
      ok: false,
      reason: 'no client secret configured',
    });
  });

  it('never puts the secret or the expected signature in a reason', () => {
    const expected = sdkSign('v2', { body: BODY });
    const results = [
      verify({ headers: { 'x-hubspot-signature': 'f'.repeat(64), 'x-hubspot-signature-version': 'v2' } }),
      verify({ headers: v3Headers('x', NOW) }),
      verify({ headers: v3Headers('x', NOW - 10 * 60_000) }),
    ];
    for (const result of results) {
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.reason).not.toContain(SECRET);
        expect(result.reason).not.toContain(expected);
      }
    }
  });
});

describe('buildSignatureUri', () => {
  it('uses PUBLIC_URL plus the path and query when set', () => {
    expect(
      buildSignatureUri({ publicUrl: 'https://reelay.example.com/', path: '/webhooks/hubspot?campaign=x', host: 'internal:3000' }),
    ).toBe('https://reelay.example.com/webhooks/hubspot?campaign=x');
    expect(buildSignatureUri({ publicUrl: 'https://example.com/reelay', path: '/webhooks/hubspot' })).toBe(
      'https://example.com/reelay/webhooks/hubspot',
    );
  });

  it('falls back to the Host header with the forwarded protocol or http', () => {
    expect(buildSignatureUri({ path: '/webhooks/hubspot?b=2&a=1', host: 'hooks.example.com' })).toBe(
      'http://hooks.example.com/webhooks/hubspot?b=2&a=1',
    );
    expect(buildSignatureUri({ path: '/webhooks/hubspot', host: 'hooks.example.com', protocol: 'HTTPS, http' })).toBe(
      'https://hooks.example.com/webhooks/hubspot',
    );
    expect(buildSignatureUri({ publicUrl: '  ', path: '/webhooks/hubspot', host: 'h:8080', protocol: 'https' })).toBe(
      'https://h:8080/webhooks/hubspot',
    );
  });

  it('returns the bare path when neither a public URL nor a host is known', () => {
    expect(buildSignatureUri({ path: '/webhooks/hubspot' })).toBe('/webhooks/hubspot');
  });
});
