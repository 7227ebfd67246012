/** Counters of what the sandbox answered, for tests and benchmarks. */
import { tenSecondsMs, type RatePolicy } from './limits/app-limiter.js';
import { PeakWindow } from './limits/rolling-window.js';
import type { WebhookStats } from './webhooks/delivery-log.js';

export interface HubSpotSandboxStats {
  /** API requests received (everything except `/_sandbox/*`). */
  totalRequests: number;
  /** Requests by operation: `objects.get`, `objects.batchRead`, `objects.batchUpdate`, `objects.patch`, `search`, `associations`, `properties`, ... */
  calls: Record<string, number>;
  /** Requests by the API version their path names: `v3`, `v4` (associations) or `2026-03`. */
  apiVersions: Record<string, number>;
  /** Answers by HTTP status (`"200"`, `"207"`, `"429"`, ...); `"reset"` counts destroyed connections. */
  statuses: Record<string, number>;
  /** 429s answered, by policy (injected storms included). */
  rateLimited: Record<RatePolicy, number>;
  /** Of those, how many were injected by `rateLimitStormRate`. */
  injectedRateLimits: number;
  /** 207 partial-success answers. */
  multiStatus: number;
  faults: { serverErrors: number; resets: number; resetsAfterWrite: number; lockedRows: number };
  /** Most non-search API requests received (accepted or not) in any rolling 10 s window. */
  maxRequestsIn10s: number;
  dailyUsed: number;
  /** Accepted writes per record (`contacts/1001`), counting writes that changed nothing. */
  writes: { total: number; maxPerObject: number; byObject: Record<string, number> };
  webhooks: WebhookStats;
}

export type FaultCounter = keyof HubSpotSandboxStats['faults'];

export interface StatsSources {
  dailyUsed: () => number;
  writeCounts: () => ReadonlyMap<string, number>;
  webhooks: () => WebhookStats;
}

export class StatsCollector {
  private totalRequests = 0;
  private calls = new Map<string, number>();
  private apiVersions = new Map<string, number>();
  private statuses = new Map<string, number>();
  private rateLimited: Record<RatePolicy, number> = { TEN_SECONDLY_ROLLING: 0, DAILY: 0, SECONDLY: 0 };
  private injectedRateLimits = 0;
  private faults: HubSpotSandboxStats['faults'] = { serverErrors: 0, resets: 0, resetsAfterWrite: 0, lockedRows: 0 };
  private readonly peak = new PeakWindow(tenSecondsMs);

  constructor(private readonly sources: StatsSources) {}

  request(operation: string, version?: string): void {
    this.totalRequests++;
    bump(this.calls, operation);
    if (version !== undefined) bump(this.apiVersions, version);
  }

  /** A request that counts against the 10 s budget arrived (before the limiter decides). */
  budgetedRequest(now: number): void {
    this.peak.add(now);
  }

  answered(status: number | 'reset'): void {
    bump(this.statuses, String(status));
  }

  limited(policy: RatePolicy, injected: boolean): void {
    this.rateLimited[policy]++;
    if (injected) this.injectedRateLimits++;
  }

  fault(counter: FaultCounter, n = 1): void {
    this.faults[counter] += n;
  }

  snapshot(): HubSpotSandboxStats {
    const byObject: Record<string, number> = {};
    let total = 0;
    let maxPerObject = 0;
    for (const [key, n] of this.sources.writeCounts()) {
      byObject[key] = n;
      total += n;
      maxPerObject = Math.max(maxPerObject, n);
    }
    return {
      totalRequests: this.totalRequests,
      calls: Object.fromEntries(this.calls),
      apiVersions: Object.fromEntries(this.apiVersions),
      statuses: Object.fromEntries(this.statuses),
      rateLimited: { ...this.rateLimited },
      injectedRateLimits: this.injectedRateLimits,
      multiStatus: this.statuses.get('207') ?? 0,
      faults: { ...this.faults },
      maxRequestsIn10s: this.peak.peak(),
      dailyUsed: this.sources.dailyUsed(),
      writes: { total, maxPerObject, byObject },
      webhooks: this.sources.webhooks(),
    };
  }

  reset(): void {
    this.totalRequests = 0;
    this.calls = new Map();
    this.apiVersions = new Map();
    this.statuses = new Map();
    this.rateLimited = { TEN_SECONDLY_ROLLING: 0, DAILY: 0, SECONDLY: 0 };
    this.injectedRateLimits = 0;
    this.faults = { serverErrors: 0, resets: 0, resetsAfterWrite: 0, lockedRows: 0 };
    this.peak.reset();
  }
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}
