import type { Clock, Random } from '../../../core/clock.js';
import type { AssociationStore } from '../crm/association-store.js';
import type { PropertyRegistry } from '../crm/property-registry.js';
import type { RecordStore } from '../crm/record-store.js';
import type { FaultInjector } from '../faults.js';
import type { AppLimiter } from '../limits/app-limiter.js';
import type { SearchIndex } from '../search/search-index.js';
import type { StatsCollector } from '../stats.js';
import type { WebhookHub } from '../webhooks/webhook-hub.js';
import type { SandboxTokenInfo } from './token-routes.js';

/** What the route handlers share. */
export interface SandboxContext {
  clock: Clock;
  /** Seeded stream for correlation ids and result ordering. */
  random: Random;
  registry: PropertyRegistry;
  records: RecordStore;
  associations: AssociationStore;
  searchIndex: SearchIndex;
  limiter: AppLimiter;
  faults: FaultInjector;
  stats: StatsCollector;
  webhooks: WebhookHub;
  portalId: number;
  appId: number;
  /** The portal's IANA time zone (account-info; the daily limit's midnight). */
  timeZone: string;
  accessToken: string;
  /** What the token-info endpoints say about `accessToken`. */
  tokenInfo: SandboxTokenInfo;
}
