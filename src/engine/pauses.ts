/**
 * Queue pauses. A bad token, a missing scope or an empty HeyGen account
 * would fail every render the same way; instead the provider's whole queue
 * pauses with one alert, kept in the store so every instance (and `reelay
 * doctor`) sees it. While paused, one render per probe interval is let
 * through as a probe; its success lifts the pause.
 *
 * A used-up credit budget shows here too (scope `budget:global` or
 * `budget:campaign:ID`, code `budget`), so the same readers see it; those
 * pauses take no probe: the reservation enforces the cap, and
 * `credit-budgets.ts` lifts them when the day turns or the cap is raised.
 */
import type { Provider } from '../core/errors.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { Store } from '../store/db.js';
import { deleteMeta, getMeta, setMeta } from '../store/meta.js';

/** A provider's whole queue, or a credit budget's scope (`budget:global`, `budget:campaign:ID`). */
export type PauseScope = Provider | `budget:${string}`;

export interface PauseInfo {
  code: string;
  reason: string;
  since: number;
  /**
   * Who may lift it, when not any call that works: the journal poller's pause
   * (a refused client-credentials grant) is lifted only by the journal working
   * again, not by a CRM call with the static token.
   */
  owner?: string;
}

const PROBE_EVERY_MS = 30_000;
const CACHE_MS = 1_000;

export class QueuePauses {
  private cache = new Map<PauseScope, { at: number; info: PauseInfo | null }>();
  private lastProbe = new Map<PauseScope, number>();

  constructor(
    private readonly store: Store,
    private readonly log: Logger,
    private readonly metrics: Metrics,
    private readonly probeEveryMs = PROBE_EVERY_MS,
  ) {}

  async get(scope: PauseScope, now: number): Promise<PauseInfo | null> {
    const cached = this.cache.get(scope);
    if (cached && now - cached.at < CACHE_MS) return cached.info;
    const raw = await getMeta(this.store, `pause:${scope}`);
    const info = raw ? (JSON.parse(raw) as PauseInfo) : null;
    this.cache.set(scope, { at: now, info });
    this.metrics.queuePaused.set({ scope }, info ? 1 : 0);
    return info;
  }

  /**
   * How many rows a stage may take now: all when running, one per probe
   * interval when paused. Asking spends nothing: a stage that then claims
   * work calls `spendProbe`, so a stage with nothing to do cannot use up the
   * probe another stage's waiting work needs.
   */
  async allowance(scope: Provider, now: number, wanted: number): Promise<number> {
    if (!(await this.get(scope, now))) return wanted;
    const last = this.lastProbe.get(scope) ?? 0;
    if (now - last < this.probeEveryMs) return 0;
    return Math.min(1, wanted);
  }

  /** A stage claimed work under `allowance`: while paused, that was this interval's probe. */
  spendProbe(scope: Provider, now: number): void {
    if (this.cache.get(scope)?.info) this.lastProbe.set(scope, now);
  }

  /** `silent`: the caller already alerted for this outage (a probe lifted the pause and it failed again). */
  async pause(scope: PauseScope, code: string, reason: string, now: number, opts: { silent?: boolean; owner?: string } = {}): Promise<void> {
    const existing = await this.get(scope, now);
    if (existing?.code === code) return;
    const info: PauseInfo = { code, reason, since: now, ...(opts.owner === undefined ? {} : { owner: opts.owner }) };
    await setMeta(this.store, `pause:${scope}`, JSON.stringify(info), now);
    this.cache.set(scope, { at: now, info });
    this.lastProbe.set(scope, now);
    this.metrics.queuePaused.set({ scope }, 1);
    if (opts.silent !== true) this.log.error({ scope, code }, `${scope} queue paused: ${reason}`);
  }

  /** A call to the provider worked: lift its pause if there was one (an owned pause only for its owner). */
  async resume(scope: PauseScope, now: number, opts: { owner?: string } = {}): Promise<void> {
    const existing = await this.get(scope, now);
    if (!existing) return;
    if (existing.owner !== undefined && existing.owner !== opts.owner) return;
    await deleteMeta(this.store, `pause:${scope}`);
    this.cache.set(scope, { at: now, info: null });
    this.metrics.queuePaused.set({ scope }, 0);
    this.log.warn({ scope }, `${scope} queue resumed after: ${existing.reason}`);
  }
}
