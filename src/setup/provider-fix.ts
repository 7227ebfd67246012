/** The fix to print under a provider failure in `setup` and `doctor`. */
import type { ProviderError } from '../core/errors.js';

/**
 * `scopes` names the HubSpot scopes the failed call needs, for a 403.
 * Never echoes a credential: `ProviderError` messages are already redacted.
 */
export function providerFix(err: ProviderError, scopes?: string): string {
  if (err.status === undefined) {
    const base = err.provider === 'hubspot' ? 'HUBSPOT_API_BASE' : 'HEYGEN_API_BASE';
    return `no answer (${err.code}): check ${base} and that this machine can reach it`;
  }
  if (err.provider === 'hubspot') {
    if (err.status === 401) return 'HubSpot refused HUBSPOT_ACCESS_TOKEN: set a valid access token (private app or OAuth) and try again';
    if (err.status === 403) return `the token lacks a scope${scopes === undefined ? '' : `: grant ${scopes}`} in the HubSpot app's settings`;
    if (err.status === 429) return 'HubSpot rate limit reached: wait a few seconds and try again';
  } else {
    if (err.status === 401 || err.status === 403) return 'HeyGen refused HEYGEN_API_KEY: copy the API key from HeyGen (Settings → API) and try again';
    if (err.status === 402) return 'the HeyGen account has no credit or API access: check its plan';
    if (err.status === 429) return 'HeyGen rate limit reached: wait a minute and try again';
  }
  if (err.status >= 500) return `${err.provider === 'hubspot' ? 'HubSpot' : 'HeyGen'} answered ${err.status}: try again in a few minutes`;
  return `${err.provider === 'hubspot' ? 'HubSpot' : 'HeyGen'} refused the request: ${err.message}`;
}
