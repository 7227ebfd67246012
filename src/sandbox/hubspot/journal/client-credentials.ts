/**
 * The client-credentials grant of the sandbox app (`POST /oauth/v1/token`,
 * form-encoded): short-lived tokens for the Webhooks Journal, granted the
 * requested scopes the app has. Tests can refuse the grant (a revoked or
 * wrong app) and shorten the tokens' life.
 */
import type { Clock, Random } from '../../../core/clock.js';
import { randomUuid } from '../ids.js';

export const JOURNAL_SCOPES = [
  'developer.webhooks_journal.read',
  'developer.webhooks_journal.subscriptions.read',
  'developer.webhooks_journal.subscriptions.write',
] as const;

export interface GrantSettings {
  /** Seconds a token lives (HubSpot's example: 1800). */
  tokenLifetimeSeconds: number;
  /** Refuse every grant (as for a deleted app or a rotated secret). */
  refuse: boolean;
  /** Scopes the app may be granted. */
  appScopes: string[];
}

export type GrantResult =
  | { ok: true; body: { access_token: string; expires_in: number; token_type: 'bearer'; token_use: 'client_credentials'; scopes: string[]; hub_id: number } }
  | { ok: false; status: number; body: { status: string; message: string; correlationId: string } };

interface Issued {
  expiresAt: number;
  scopes: Set<string>;
}

export class ClientCredentialsGrants {
  private tokens = new Map<string, Issued>();
  private current: GrantSettings;
  /** Tokens issued so far. */
  issued = 0;

  constructor(
    private readonly clock: Clock,
    private readonly random: Random,
    readonly clientId: string,
    private readonly clientSecret: string,
    private readonly portalId: number,
  ) {
    this.current = {
      tokenLifetimeSeconds: 1800,
      refuse: false,
      appScopes: [...JOURNAL_SCOPES, 'crm.objects.contacts.read', 'crm.objects.deals.read', 'crm.objects.companies.read'],
    };
  }

  settings(): GrantSettings {
    return { ...this.current, appScopes: [...this.current.appScopes] };
  }

  configure(patch: Partial<GrantSettings>): GrantSettings {
    this.current = { ...this.current, ...patch };
    if (patch.refuse === true) this.tokens.clear();
    return this.settings();
  }

  grant(form: URLSearchParams): GrantResult {
    const refuse = (status: string, message: string): GrantResult => ({ ok: false, status: 400, body: { status, message, correlationId: randomUuid(this.random) } });
    if (form.get('grant_type') !== 'client_credentials') return refuse('BAD_GRANT_TYPE', 'grant_type must be client_credentials');
    if (form.get('client_id') !== this.clientId) return refuse('BAD_CLIENT_ID', 'missing or unknown client id');
    if (form.get('client_secret') !== this.clientSecret) return refuse('BAD_CLIENT_SECRET', 'missing or invalid client secret');
    if (this.current.refuse) return refuse('BAD_CLIENT_ID', 'the app may not use the client credentials grant');
    const requested = (form.get('scope') ?? '').split(/\s+/).filter((s) => s !== '');
    const unknown = requested.filter((s) => !this.current.appScopes.includes(s));
    if (unknown.length > 0) return refuse('BAD_SCOPES', `the app is not allowed these scopes: ${unknown.join(' ')}`);
    const token = `cc-${randomUuid(this.random)}`;
    this.tokens.set(token, { expiresAt: this.clock.now() + this.current.tokenLifetimeSeconds * 1000, scopes: new Set(requested) });
    this.issued += 1;
    return {
      ok: true,
      body: { access_token: token, expires_in: this.current.tokenLifetimeSeconds, token_type: 'bearer', token_use: 'client_credentials', scopes: requested, hub_id: this.portalId },
    };
  }

  /** 'ok', or why a bearer header does not authorise `scope`. */
  check(header: string | undefined, scope: string): 'ok' | 'unauthenticated' | 'missing_scope' {
    const token = /^bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1];
    const issued = token === undefined ? undefined : this.tokens.get(token);
    if (!issued || issued.expiresAt <= this.clock.now()) return 'unauthenticated';
    return issued.scopes.has(scope) ? 'ok' : 'missing_scope';
  }
}
