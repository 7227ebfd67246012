/**
 * Provider clients for the one-shot commands (`setup`, `doctor`, `render`,
 * `backfill`), built from the environment as `serve` builds them. These
 * commands need fewer settings than `serve` (setup is how a user first gets
 * `HEYGEN_WEBHOOK_SECRET`), so each asks only for what it uses.
 */
import type { ReelayEnv } from '../config/env.js';
import type { ReelayConfig } from '../config/schema.js';
import type { Clock } from '../core/clock.js';
import { ConfigError } from '../core/errors.js';
import type { HubSpotBudget } from '../engine/hubspot-budget.js';
import { createHeyGenClient, type HeyGenClient } from '../heygen/client.js';
import { createHubSpotClient } from '../hubspot/client.js';
import { hubspotPathsFor } from '../hubspot/paths.js';
import type { HubSpotClient } from '../hubspot/types.js';

/** A setting the command cannot run without; the error names it, never its value. */
export function requireSetting(value: string | undefined, name: string, meaning: string): string {
  if (value === undefined || value === '') throw new ConfigError(`${name} is required (${meaning})`);
  return value;
}

/** A HubSpot client; with a budget, the rate-limit headers of every answer feed it. */
export function hubspotClientFor(env: ReelayEnv, config: ReelayConfig, opts: { clock: Clock; budget?: HubSpotBudget }): HubSpotClient {
  const budget = opts.budget;
  return createHubSpotClient({
    baseUrl: env.hubspotApiBase,
    accessToken: requireSetting(env.hubspotAccessToken, 'HUBSPOT_ACCESS_TOKEN', 'the HubSpot bearer token'),
    timeoutMs: config.hubspot.requestTimeout,
    clock: opts.clock,
    paths: hubspotPathsFor(config.hubspot.apiVersion),
    ...(budget === undefined ? {} : { onResponse: (info) => budget.observe(info.headers) }),
  });
}

export function heygenClientFor(env: ReelayEnv, config: ReelayConfig): HeyGenClient {
  return createHeyGenClient({
    api: config.heygen.api,
    baseUrl: env.heygenApiBase,
    apiKey: requireSetting(env.heygenApiKey, 'HEYGEN_API_KEY', 'the HeyGen X-Api-Key'),
    timeoutMs: config.heygen.requestTimeout,
  });
}
