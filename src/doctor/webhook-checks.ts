/** Inbound webhooks: both secrets set, and HeyGen sends render events to PUBLIC_URL. */
import type { ReelayEnv } from '../config/env.js';
import { isProviderError } from '../core/errors.js';
import type { HeyGenClient } from '../heygen/client.js';
import { findHeyGenWebhook, heygenWebhookUrl, type FoundWebhook } from '../setup/heygen-webhook.js';
import { providerFix } from '../setup/provider-fix.js';
import { fail, pass, type CheckOutcome } from './outcome.js';

export function checkWebhookSecrets(env: ReelayEnv): CheckOutcome[] {
  return [
    env.hubspotClientSecret === undefined
      ? fail('HUBSPOT_CLIENT_SECRET is not set: every HubSpot webhook would be refused', "set it to your HubSpot app's client secret (the app's Auth settings)")
      : pass('HUBSPOT_CLIENT_SECRET is set (HubSpot webhooks are verified)'),
    env.heygenWebhookSecret === undefined
      ? fail(
          'HEYGEN_WEBHOOK_SECRET is not set: HeyGen callbacks would be refused and renders found only by polling',
          'run `reelay setup` and store the secret it prints (or rotate the endpoint secret in HeyGen)',
        )
      : pass('HEYGEN_WEBHOOK_SECRET is set (HeyGen callbacks are verified)'),
  ];
}

export async function checkHeyGenEndpoint(client: HeyGenClient, publicUrl: string | undefined): Promise<CheckOutcome> {
  if (publicUrl === undefined) {
    return fail('cannot check the HeyGen webhook endpoint: PUBLIC_URL is not set', 'set PUBLIC_URL, then run `reelay setup` to register the endpoint');
  }
  const url = heygenWebhookUrl(publicUrl);
  let lookup: { found: FoundWebhook | null; others: string[] };
  try {
    lookup = await findHeyGenWebhook(client, url);
  } catch (err) {
    if (!isProviderError(err)) throw err;
    return fail(`cannot list the HeyGen webhook endpoints: ${err.describe()}`, providerFix(err));
  }
  if (lookup.found === null) {
    const others = lookup.others.length === 0 ? '' : ` (registered instead: ${lookup.others.join(', ')})`;
    return fail(`no HeyGen webhook endpoint is registered for ${url}${others}`, 'run `reelay setup`: it registers the endpoint and prints the secret to store as HEYGEN_WEBHOOK_SECRET');
  }
  const { endpoint, missingEvents } = lookup.found;
  if (missingEvents.length > 0) {
    return fail(`HeyGen endpoint ${endpoint.id} for ${url} is not subscribed to ${missingEvents.join(', ')}`, 'add these events to the endpoint in HeyGen');
  }
  return pass(`HeyGen sends render events to ${url} (endpoint ${endpoint.id})`);
}
