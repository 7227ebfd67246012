/**
 * The client-credentials token the Webhooks Journal needs: a form-encoded
 * `POST /oauth/v1/token` with the app's client id and secret and the
 * journal scopes. The token is cached until shortly before it expires (a
 * safety margin, on the injected clock) and then renewed; concurrent
 * callers share one request. A refused grant is a `blocking` ProviderError
 * (code `GRANT_REFUSED`), so the engine pauses the HubSpot queue once
 * instead of failing work.
 */
import { classifyHttpFailure } from '../core/classify.js';
import { systemClock, type Clock } from '../core/clock.js';
import { ProviderError } from '../core/errors.js';
import { isRecord } from '../http-client/error-body.js';
import { describeNetworkFailure } from '../http-client/network-failure.js';
import { createRedactor } from '../http-client/redact.js';
import type { ResponseInfo } from '../http-client/types.js';
import { journalPaths } from './paths.js';

/** What Reelay asks for: read the journal, read and write its subscriptions (docs' names). */
export const JOURNAL_SCOPES = [
  'developer.webhooks_journal.read',
  'developer.webhooks_journal.subscriptions.read',
  'developer.webhooks_journal.subscriptions.write',
] as const;

export interface ClientCredentialsOptions {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  scopes?: readonly string[];
  timeoutMs: number;
  clock?: Clock;
  fetch?: typeof fetch;
  /** Renew this long before the token expires (default 60 s). */
  marginMs?: number;
  onResponse?: (info: ResponseInfo) => void;
}

export interface GrantedToken {
  accessToken: string;
  /** Epoch ms. */
  expiresAt: number;
  /** The scopes HubSpot says it granted, when it says. */
  scopes: string[] | undefined;
  hubId: number | undefined;
}

export const GRANT_REFUSED = 'GRANT_REFUSED';

export class ClientCredentialsToken {
  private cached: GrantedToken | null = null;
  private inFlight: Promise<GrantedToken> | null = null;
  private readonly clock: Clock;
  private readonly redact: (text: string) => string;
  /** Grants requested so far (a test can see the cache working). */
  grants = 0;

  constructor(private readonly opts: ClientCredentialsOptions) {
    this.clock = opts.clock ?? systemClock;
    this.redact = createRedactor([opts.clientSecret]);
  }

  /** A token valid for at least the margin; requested anew when the cached one is about to expire. */
  async get(): Promise<string> {
    return (await this.current()).accessToken;
  }

  async current(): Promise<GrantedToken> {
    const margin = this.opts.marginMs ?? 60_000;
    if (this.cached && this.clock.now() < this.cached.expiresAt - margin) return this.cached;
    this.inFlight ??= this.grant().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  /** HubSpot refused the token (401): forget it, the next call asks for a new one. */
  invalidate(token?: string): void {
    if (token === undefined || this.cached?.accessToken === token) this.cached = null;
  }

  /** Asks for a token now, without the cache (doctor uses this to show the granted scopes). */
  async grant(): Promise<GrantedToken> {
    const operation = 'oauth.clientCredentials';
    const doFetch = this.opts.fetch ?? globalThis.fetch;
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: this.opts.clientId,
      client_secret: this.opts.clientSecret,
      scope: (this.opts.scopes ?? JOURNAL_SCOPES).join(' '),
    });
    const startedAt = this.clock.now();
    this.grants += 1;
    let response: Response;
    let raw: string;
    try {
      response = await doFetch(this.opts.baseUrl.replace(/\/+$/, '') + journalPaths.token, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form.toString(),
        signal: AbortSignal.timeout(this.opts.timeoutMs),
      });
      this.opts.onResponse?.({ operation, status: response.status, headers: response.headers, durationMs: Math.max(0, this.clock.now() - startedAt) });
      raw = await response.text();
    } catch (err) {
      const failure = describeNetworkFailure(err);
      throw new ProviderError({ provider: 'hubspot', operation, code: failure.code, message: `POST ${journalPaths.token} failed: ${failure.detail}`, failureClass: 'retryable', cause: err });
    }
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      body = null;
    }
    if (!response.ok) {
      const status = response.status;
      const code = isRecord(body) && typeof body.status === 'string' && body.status !== 'error' ? body.status : isRecord(body) && typeof body.category === 'string' ? body.category : `http_${status}`;
      const said = isRecord(body) && typeof body.message === 'string' ? body.message : response.statusText;
      const retryable = classifyHttpFailure('hubspot', status) === 'retryable';
      throw new ProviderError({
        provider: 'hubspot',
        operation,
        status,
        code: retryable ? code : GRANT_REFUSED,
        message: this.redact(
          retryable
            ? `the client-credentials token could not be obtained (${status} ${code}): ${said}`
            : `HubSpot refused the client-credentials grant (${code}: ${said}): check HUBSPOT_CLIENT_ID and HUBSPOT_CLIENT_SECRET, and that the app may use the Webhooks Journal`,
        ),
        failureClass: retryable ? 'retryable' : 'blocking',
      });
    }
    if (!isRecord(body) || typeof body.access_token !== 'string' || body.access_token === '') {
      throw new ProviderError({ provider: 'hubspot', operation, status: response.status, code: 'invalid_response', message: 'the token answer carries no access_token', failureClass: 'retryable' });
    }
    const expiresIn = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 1800;
    const scopes = Array.isArray(body.scopes) ? body.scopes.filter((s): s is string => typeof s === 'string') : typeof body.scope === 'string' ? body.scope.split(/\s+/) : undefined;
    const granted: GrantedToken = {
      accessToken: body.access_token,
      expiresAt: this.clock.now() + expiresIn * 1000,
      scopes,
      hubId: typeof body.hub_id === 'number' ? body.hub_id : undefined,
    };
    this.cached = granted;
    return granted;
  }
}
