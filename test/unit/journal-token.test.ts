/**
 * The client-credentials token of the Webhooks Journal: form-encoded grant,
 * cached until a margin before it expires (on the injected clock), renewed
 * after; concurrent callers share one request; a refused grant is a
 * blocking error that names the variables, never the secret.
 */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { isProviderError } from '../../src/core/errors.js';
import { ClientCredentialsToken, GRANT_REFUSED, JOURNAL_SCOPES } from '../../src/hubspot/client-credentials.js';

const SECRET = 'cs-super-secret-value';

function fakeTokenEndpoint(answer: (n: number) => { status: number; body: unknown }) {
  const requests: { url: string; contentType: string | null; form: URLSearchParams }[] = [];
  const fetchFn: typeof fetch = async (input, init) => {
    requests.push({ url: String(input), contentType: new Headers(init?.headers).get('content-type'), form: new URLSearchParams(String(init?.body)) });
    const { status, body } = answer(requests.length);
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  };
  return { requests, fetchFn };
}

describe('ClientCredentialsToken', () => {
  it('asks with a form-encoded client-credentials grant for the journal scopes', async () => {
    const endpoint = fakeTokenEndpoint(() => ({ status: 200, body: { access_token: 't1', expires_in: 1800, token_type: 'bearer', token_use: 'client_credentials' } }));
    const token = new ClientCredentialsToken({ baseUrl: 'https://api.example.test/', clientId: 'app-id', clientSecret: SECRET, timeoutMs: 1000, clock: new ManualClock(), fetch: endpoint.fetchFn });
    expect(await token.get()).toBe('t1');
    const [request] = endpoint.requests;
    expect(request?.url).toBe('https://api.example.test/oauth/v1/token');
    expect(request?.contentType).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(request?.form ?? [])).toEqual({ grant_type: 'client_credentials', client_id: 'app-id', client_secret: SECRET, scope: JOURNAL_SCOPES.join(' ') });
  });

  it('is cached until the safety margin before expiry, then renewed; concurrent callers share one grant', async () => {
    const clock = new ManualClock();
    const endpoint = fakeTokenEndpoint((n) => ({ status: 200, body: { access_token: `t${n}`, expires_in: 1800 } }));
    const token = new ClientCredentialsToken({ baseUrl: 'https://api.example.test', clientId: 'id', clientSecret: SECRET, timeoutMs: 1000, clock, fetch: endpoint.fetchFn, marginMs: 60_000 });
    expect(await Promise.all([token.get(), token.get(), token.get()])).toEqual(['t1', 't1', 't1']);
    clock.advance(1800_000 - 60_001);
    expect(await token.get()).toBe('t1');
    clock.advance(2);
    expect(await token.get()).toBe('t2');
    expect(endpoint.requests).toHaveLength(2);
    token.invalidate('t2');
    expect(await token.get()).toBe('t3');
  });

  it('a refused grant is blocking, names HUBSPOT_CLIENT_ID and never the secret; a 5xx is retryable', async () => {
    const refused = fakeTokenEndpoint(() => ({ status: 400, body: { status: 'BAD_CLIENT_ID', message: `missing or unknown client id (${SECRET})` } }));
    const token = new ClientCredentialsToken({ baseUrl: 'https://api.example.test', clientId: 'id', clientSecret: SECRET, timeoutMs: 1000, clock: new ManualClock(), fetch: refused.fetchFn });
    const err = await token.get().catch((e: unknown) => e);
    expect(isProviderError(err) && err.failureClass).toBe('blocking');
    expect(isProviderError(err) && err.code).toBe(GRANT_REFUSED);
    expect(String((err as Error).message)).toMatch(/HUBSPOT_CLIENT_ID/);
    expect(String((err as Error).message)).not.toContain(SECRET);

    const down = fakeTokenEndpoint(() => ({ status: 503, body: { status: 'error', message: 'unavailable' } }));
    const again = new ClientCredentialsToken({ baseUrl: 'https://api.example.test', clientId: 'id', clientSecret: SECRET, timeoutMs: 1000, clock: new ManualClock(), fetch: down.fetchFn });
    const err2 = await again.get().catch((e: unknown) => e);
    expect(isProviderError(err2) && err2.failureClass).toBe('retryable');
  });
});
