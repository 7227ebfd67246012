/**
 * Fault injection for API routes (never for `/_sandbox/*`). Every decision
 * draws from a seeded generator, so a run with the same seed and the same
 * request sequence fails the same way.
 */
import type { Random } from '../../core/clock.js';

export interface LatencyRange {
  min: number;
  max: number;
}

export interface FaultSettings {
  /** Added before the answer: fixed, or uniform in [min, max]. */
  latencyMs: number | LatencyRange;
  /** Probability of a 500/502/503/504 instead of the answer (502-504 come as HTML gateway pages). */
  errorRate: number;
  /** Probability of a spurious 429 (TEN_SECONDLY_ROLLING; SECONDLY on search) while under budget. */
  rateLimitStormRate: number;
  /**
   * Probability that a valid row of a batch update fails anyway. The row is
   * not applied and comes back in `errors[]` with category `LOCKED`
   * (HubSpot's 423 "record locked" condition): retryable.
   */
  partialFailureRate: number;
  /** Probability that the connection is destroyed before the request is handled. */
  resetRate: number;
  /** Probability that a write is applied and then the connection is destroyed (the caller cannot know). */
  resetAfterWriteRate: number;
  /** Restrict faults to these operations (`objects.batchUpdate`, `search`, ...); empty means all. */
  operations: string[];
}

export const noFaults: FaultSettings = {
  latencyMs: 0,
  errorRate: 0,
  rateLimitStormRate: 0,
  partialFailureRate: 0,
  resetRate: 0,
  resetAfterWriteRate: 0,
  operations: [],
};

export type FaultRate = 'errorRate' | 'rateLimitStormRate' | 'partialFailureRate' | 'resetRate' | 'resetAfterWriteRate';

const serverErrorStatuses = [500, 502, 503, 504] as const;
export type ServerErrorStatus = (typeof serverErrorStatuses)[number];

export class FaultInjector {
  private current: FaultSettings;

  constructor(
    private readonly random: Random,
    initial: Partial<FaultSettings> = {},
  ) {
    this.current = { ...noFaults, ...initial };
  }

  settings(): FaultSettings {
    return { ...this.current, operations: [...this.current.operations] };
  }

  configure(patch: Partial<FaultSettings>): FaultSettings {
    this.current = { ...this.current, ...patch };
    return this.settings();
  }

  clear(): void {
    this.current = { ...noFaults };
  }

  /** Whether the fault with this rate strikes this request. Draws only when the rate is positive. */
  strikes(rate: FaultRate, operation: string): boolean {
    const p = this.current[rate];
    return p > 0 && this.applies(operation) && this.random() < p;
  }

  latencyFor(operation: string): number {
    const latency = this.current.latencyMs;
    if (!this.applies(operation)) return 0;
    if (typeof latency === 'number') return latency;
    return Math.round(latency.min + this.random() * Math.max(0, latency.max - latency.min));
  }

  serverErrorStatus(): ServerErrorStatus {
    return serverErrorStatuses[Math.floor(this.random() * serverErrorStatuses.length)] ?? 500;
  }

  private applies(operation: string): boolean {
    return this.current.operations.length === 0 || this.current.operations.includes(operation);
  }
}
