/**
 * The resources every engine system works with, injected as one plain
 * object: tests build it with a manual clock, seeded randomness and clients
 * pointed at the sandbox.
 */
import type { ReelayConfig, CampaignConfig } from '../config/schema.js';
import type { Clock, Random } from '../core/clock.js';
import type { HeyGenClient } from '../heygen/client.js';
import type { JournalClient } from '../hubspot/journal-client.js';
import type { HubSpotClient } from '../hubspot/types.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { Store } from '../store/db.js';
import type { CreditBudgets } from './credit-budgets.js';
import type { HeyGenWindow } from './heygen-window.js';
import type { HubSpotBudget } from './hubspot-budget.js';
import type { QueuePauses } from './pauses.js';
import type { WebhooksFirst } from './webhooks-first.js';

export interface EngineContext {
  store: Store;
  /**
   * The running configuration. A reload (`app/reload-config.ts`) swaps the
   * whole object: read `ctx.config` where it is used and never keep a part
   * of it across awaits in long-lived state, so each use sees one consistent
   * configuration.
   */
  config: ReelayConfig;
  clock: Clock;
  random: Random;
  log: Logger;
  metrics: Metrics;
  hubspot: HubSpotClient;
  heygen: HeyGenClient;
  budget: HubSpotBudget;
  window: HeyGenWindow;
  pauses: QueuePauses;
  /** Daily credit budgets (`budgets:`): what reservations enforce, and their pauses and gauges. */
  creditBudgets: CreditBudgets;
  /** Holds worker ticks back while webhooks arrive and the event loop is busy (`webhooks-first.ts`); intake reports each delivery to it. */
  webhooksFirst: WebhooksFirst;
  /** Identifies this process's leases. */
  workerId: string;
  /** Base of stable video links (`PUBLIC_URL`), when set. */
  publicUrl: string | undefined;
  /** The Webhooks Journal, when `hubspot.intake` is `journal`. */
  journal?: JournalClient;
  /** Nudges a stage to look for work now instead of after its idle delay. */
  wake(stage: Stage): void;
}

export type Stage = 'enrich' | 'submit' | 'track' | 'write' | 'privacy';

export function campaignById(config: ReelayConfig, id: string): CampaignConfig | undefined {
  return config.campaigns.find((c) => c.id === id);
}

export function leaseMs(ctx: EngineContext): number {
  return ctx.config.worker.leaseSeconds * 1000;
}
