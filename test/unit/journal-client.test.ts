/**
 * The journal client on the wire: API calls carry the client-credentials
 * token (renewed once on a 401), pre-signed files are fetched without any
 * Authorization header (gzip objects unpacked), 204 means caught up and a
 * 404 on `next` means the offset expired.
 */
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { ClientCredentialsToken } from '../../src/hubspot/client-credentials.js';
import { createJournalClient, JournalOffsetExpired } from '../../src/hubspot/journal-client.js';

interface Seen {
  url: string;
  authorization: string | null;
}

function fakeHubSpot(routes: (url: string, n: number) => Response) {
  const seen: Seen[] = [];
  let tokens = 0;
  const fetchFn: typeof fetch = async (input, init) => {
    const url = String(input);
    if (url.endsWith('/oauth/v1/token')) {
      tokens += 1;
      return Response.json({ access_token: `tok-${tokens}`, expires_in: 1800 });
    }
    seen.push({ url, authorization: new Headers(init?.headers).get('authorization') });
    return routes(url, seen.length);
  };
  const clock = new ManualClock();
  const token = new ClientCredentialsToken({ baseUrl: 'https://api.example.test', clientId: 'id', clientSecret: 'secret-123', timeoutMs: 1000, clock, fetch: fetchFn });
  return { seen, client: createJournalClient({ baseUrl: 'https://api.example.test', token, timeoutMs: 1000, clock, fetch: fetchFn }), tokens: () => tokens };
}

describe('journal client', () => {
  it('sends the token to the API and no Authorization header to the pre-signed file; unpacks gzip files', async () => {
    const file = { offset: 'o-1', journalEvents: [{ objectId: 1 }] };
    const hub = fakeHubSpot((url) =>
      url.startsWith('https://files.example.test/')
        ? new Response(gzipSync(JSON.stringify(file)))
        : Response.json({ currentOffset: 'o-1', expiresAt: '2026-03-30T10:05:00Z', url: 'https://files.example.test/o-1.json?X-Amz-Signature=abc' }),
    );
    const pointer = await hub.client.earliest();
    expect(pointer).toEqual({ offset: 'o-1', url: 'https://files.example.test/o-1.json?X-Amz-Signature=abc', expiresAt: Date.parse('2026-03-30T10:05:00Z') });
    expect(await hub.client.download(pointer as NonNullable<typeof pointer>)).toEqual(file);
    expect(hub.seen).toEqual([
      { url: 'https://api.example.test/webhooks-journal/journal/2026-03/earliest', authorization: 'Bearer tok-1' },
      { url: 'https://files.example.test/o-1.json?X-Amz-Signature=abc', authorization: null },
    ]);
  });

  it('204 is "caught up", 404 on next is an expired offset, a 401 renews the token once', async () => {
    const hub = fakeHubSpot((url, n) => {
      if (url.includes('/offset/gone/')) return Response.json({ status: 'error', message: 'not found', category: 'OBJECT_NOT_FOUND' }, { status: 404 });
      if (n === 2) return Response.json({ status: 'error', message: 'expired token', category: 'INVALID_AUTHENTICATION' }, { status: 401 });
      return new Response(null, { status: 204 });
    });
    expect(await hub.client.next('o-1')).toBeNull();
    expect(await hub.client.next('o-1')).toBeNull(); // the 401 in between was answered by a fresh token
    expect(hub.seen.map((s) => s.authorization)).toEqual(['Bearer tok-1', 'Bearer tok-1', 'Bearer tok-2']);
    await expect(hub.client.next('gone')).rejects.toBeInstanceOf(JournalOffsetExpired);
  });
});
