/**
 * The Webhooks Journal client for the one-shot commands (`setup`, `doctor`),
 * built as `serve` builds it: a client-credentials token from
 * `HUBSPOT_CLIENT_ID` and `HUBSPOT_CLIENT_SECRET`.
 */
import type { ReelayEnv } from '../config/env.js';
import type { ReelayConfig } from '../config/schema.js';
import type { Clock } from '../core/clock.js';
import { ClientCredentialsToken } from '../hubspot/client-credentials.js';
import { createJournalClient, type JournalClient } from '../hubspot/journal-client.js';
import { requireSetting } from './provider-clients.js';

export function journalClientFor(env: ReelayEnv, config: ReelayConfig, opts: { clock: Clock }): { token: ClientCredentialsToken; journal: JournalClient } {
  const token = new ClientCredentialsToken({
    baseUrl: env.hubspotApiBase,
    clientId: requireSetting(env.hubspotClientId, 'HUBSPOT_CLIENT_ID', "the HubSpot app's client id, for the Webhooks Journal's client-credentials token"),
    clientSecret: requireSetting(env.hubspotClientSecret, 'HUBSPOT_CLIENT_SECRET', "the HubSpot app's client secret"),
    timeoutMs: config.hubspot.requestTimeout,
    clock: opts.clock,
  });
  return { token, journal: createJournalClient({ baseUrl: env.hubspotApiBase, token, timeoutMs: config.hubspot.requestTimeout, clock: opts.clock }) };
}
