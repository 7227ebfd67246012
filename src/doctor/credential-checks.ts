/**
 * Which HubSpot credential Reelay was given, where HubSpot's API says so,
 * the scopes it lacks, and what goes unsupported when.
 *
 * - Token metadata `GET /oauth/v1/access-tokens/{token}` describes OAuth
 *   tokens (and, as modelled, project-app static tokens and service keys:
 *   `signed_access_token.isServiceAccount` marks a service key); the
 *   private-app endpoint describes legacy private app tokens. Which endpoint
 *   knows which kind is UNCONFIRMED (docs/api-notes/hubspot-platform.md), so
 *   an unknown token is reported as unknown, not guessed at; a `pat-` prefix
 *   is named as what it is: a private app token's prefix.
 * - Missing scopes are compared with `requiredScopes(config)`, the list
 *   `setup --hubspot-project` puts in the app.
 */
import type { ReelayConfig } from '../config/schema.js';
import { isProviderError } from '../core/errors.js';
import type { HubSpotClient, TokenInfo } from '../hubspot/types.js';
import { missingScopes, requiredScopes } from '../setup/required-scopes.js';
import { fail, pass, warn, type CheckOutcome } from './outcome.js';

/** Dates HubSpot announced (SPEC "HubSpot's current developer platform"; API-NOTES). */
export const PLATFORM_DATES = {
  legacyPrivateAppsClosed: '2026-10-26',
  legacyPrivateAppsEnd: 'September 2027',
  numberedV3End: 'September 2027',
  associationsV4End: '2027-03-30',
} as const;

type CredentialKind = 'service-key' | 'app' | 'oauth' | 'legacy-private-app' | 'unknown';

function kindOf(info: TokenInfo | null): CredentialKind {
  if (info === null) return 'unknown';
  if (info.source === 'private-app') return 'legacy-private-app';
  if (info.serviceAccount === true) return 'service-key';
  return info.privateDistribution === true ? 'app' : 'oauth';
}

function describeKind(kind: CredentialKind, info: TokenInfo | null, token: string): string {
  const app = info?.appId === undefined ? '' : ` of app ${info.appId}`;
  const portal = info?.hubId === undefined ? '' : ` in portal ${info.hubId}`;
  switch (kind) {
    case 'service-key':
      return `the token is a service key${portal}`;
    case 'app':
      return `the token is a privately distributed app's access token${app}${portal} (a project app's static token)`;
    case 'oauth':
      return `the token is an OAuth access token${app}${portal}`;
    case 'legacy-private-app':
      return `the token is a legacy private app's access token${app}${portal}`;
    case 'unknown':
      return token.startsWith('pat-')
        ? "HubSpot's token endpoints do not describe the token; its pat- prefix is a private app token's"
        : "HubSpot's token endpoints do not describe the token: its kind is unknown";
  }
}

function scopeFix(kind: CredentialKind, missing: string[]): string {
  const list = missing.join(' ');
  switch (kind) {
    case 'app':
      return `run \`reelay setup --hubspot-project DIR\` (it lists them in requiredScopes), then \`hs project upload\` and approve the new scopes where the app is installed`;
    case 'service-key':
      return `add them to the service key (Development → Keys → Service keys → the key → scopes): ${list}`;
    case 'legacy-private-app':
      return `add them on the private app's Scopes tab (Settings → Integrations → Private Apps): ${list}`;
    default:
      return `grant the token these scopes: ${list}`;
  }
}

async function askHubSpot(client: HubSpotClient): Promise<TokenInfo | null> {
  return (await client.accessTokenInfo()) ?? (await client.privateAppTokenInfo());
}

export async function checkCredential(client: HubSpotClient, token: string, config: ReelayConfig): Promise<CheckOutcome[]> {
  let info: TokenInfo | null;
  try {
    info = await askHubSpot(client);
  } catch (err) {
    if (!isProviderError(err)) throw err;
    return [warn(`could not ask HubSpot what the token is: ${err.describe()}`, 'run `reelay doctor` again later; the probes below still check what the token can do')];
  }
  const kind = kindOf(info);
  const outcomes: CheckOutcome[] = [];
  const what = describeKind(kind, info, token);
  if (kind === 'legacy-private-app' || (kind === 'unknown' && token.startsWith('pat-'))) {
    outcomes.push(
      warn(
        `${what}: legacy private apps can no longer be created (since ${PLATFORM_DATES.legacyPrivateAppsClosed}); existing ones keep working until ${PLATFORM_DATES.legacyPrivateAppsEnd}`,
        'move to a project app before then: `reelay setup --hubspot-project DIR` (README: "Connect HubSpot")',
      ),
    );
  } else if (kind === 'service-key') {
    outcomes.push(
      warn(
        `${what}: service keys call the API but receive no webhooks`,
        'triggers need workflow webhooks (README: "Connect HubSpot", option c) or a project app (`reelay setup --hubspot-project DIR`)',
      ),
    );
  } else {
    outcomes.push(pass(what));
  }

  if (info !== null) {
    const required = requiredScopes(config);
    const missing = missingScopes(required, info.scopes);
    outcomes.push(
      missing.length === 0
        ? pass(`token has the ${required.length} scope(s) the campaigns need`)
        : fail(`token lacks ${missing.length} scope(s) the campaigns need: ${missing.join(', ')}`, scopeFix(kind, missing)),
    );
  }
  return outcomes;
}

export function checkApiVersion(config: ReelayConfig): CheckOutcome {
  const version = config.hubspot.apiVersion;
  if (version === 'v3') {
    return warn(
      `CRM calls use HubSpot's numbered paths: /crm/v3 goes unsupported in ${PLATFORM_DATES.numberedV3End}, the /crm/v4 associations on ${PLATFORM_DATES.associationsV4End}`,
      'set hubspot.apiVersion: "2026-03" in reelay.yaml (the date-based paths) and run `reelay doctor` again',
    );
  }
  return pass(`CRM calls use HubSpot's date-based ${version} paths`);
}
