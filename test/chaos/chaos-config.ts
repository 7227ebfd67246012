/**
 * What the chaos run configures: Reelay's campaigns (the three seed use
 * cases, timings shortened so polling fallbacks happen within seconds) and
 * the sandbox's faults (the list, rate by rate).
 */
import { SEED_CAMPAIGNS } from '../helpers/harness.js';
import type { FaultSettings as HubSpotFaults } from '../../src/sandbox/hubspot/faults.js';
import type { WebhookSettings } from '../../src/sandbox/hubspot/webhooks/settings.js';
import type { FaultPatch as HeyGenFaults } from '../../src/sandbox/heygen/faults.js';

/** Renders HeyGen may run at once: the same on both sides, as on a real plan. */
export const HEYGEN_CONCURRENCY = 12;

export interface ChaosSetup {
  dialect: 'sqlite' | 'postgres';
  /** v3 replays a create by `Idempotency-Key`; v2 has none, so Reelay must look a render up before creating again. */
  api: 'v3' | 'v2';
}

/**
 * On PostgreSQL a killed process's leases are not reclaimed at start-up but
 * expire (SPEC "Leases"): keep them short there so a restart resumes soon.
 */
export function chaosReelayConfig(setup: ChaosSetup): string {
  return `
heygen:
  api: ${setup.api}
  concurrency: ${HEYGEN_CONCURRENCY}
  callbackGrace: 800ms
  pollEvery: 400ms
  maxRenderAge: 30m
  requestTimeout: 5s
hubspot:
  burst: 100
  batchDelay: 50ms
  requestTimeout: 5s
worker:
  leaseSeconds: ${setup.dialect === 'postgres' ? 10 : 60}
  idleDelay: 50ms
  retryBase: 100ms
  retryCap: 2s
${SEED_CAMPAIGNS}`;
}

/** The codes the sandbox fails renders with; each must reach the CRM's `heygen_render_error`. */
export const FAIL_CODES = ['RENDER_FAILED', 'VOICE_ERROR', 'AVATAR_NOT_FOUND'];

/**
 * HeyGen between storms: 10 % 5xx, 5 % timeouts after accept, 20 % of
 * callbacks lost and 20 % duplicated, all reordered, 5 % failing renders,
 * and a few connections dropped before anything happened.
 */
export const HEYGEN_FAULTS: HeyGenFaults = {
  latencyMs: { min: 0, max: 30 },
  errorRate: 0.1,
  resetRate: 0.02,
  rateLimitStormRate: 0.02,
  timeoutAfterAcceptRate: 0.05,
  timeoutAfterAcceptHoldMs: 800,
  createProcessingMs: { min: 0, max: 40 },
  failRate: 0.05,
  failCodes: FAIL_CODES,
  callbackLossRate: 0.2,
  callbackDuplicateRate: 0.2,
  callbackDelayMs: { min: 0, max: 250 },
  callbackReorder: true,
};

/** During a 429 storm most HeyGen requests are refused with `Retry-After`. */
export const HEYGEN_STORM_RATE = 0.6;

/** HubSpot: spurious 429s, 207s with locked rows, a few 5xx, a few writes applied whose answer is lost. */
export const HUBSPOT_FAULTS: Partial<HubSpotFaults> = {
  latencyMs: { min: 0, max: 20 },
  rateLimitStormRate: 0.05,
  partialFailureRate: 0.1,
  errorRate: 0.02,
  resetAfterWriteRate: 0.02,
};

export const HUBSPOT_STORM_RATE = 0.5;

/**
 * HubSpot's own redelivery (hours in reality), scaled to the outages here:
 * a restart takes 1-3 s on an idle machine, 15 s and more on a loaded one,
 * so 25 attempts spread over a minute and a half.
 */
export const HUBSPOT_WEBHOOKS: Partial<WebhookSettings> = {
  retryDelayMs: 200,
  retryMaxDelayMs: 6_000,
  subscriptionMaxAttempts: 25,
  workflowMaxAttempts: 25,
  subscriptionTimeoutMs: 5_000,
  workflowTimeoutMs: 5_000,
  maxBatchSize: 40,
  batchDelayMs: 30,
  duplicateRate: 0.25,
  shuffle: true,
};

/** HeyGen's redelivery of callbacks (lost ones are left to polling). */
export const HEYGEN_CALLBACK_RETRY_DELAYS_MS = [250, 1_000, 2_500, 5_000];
