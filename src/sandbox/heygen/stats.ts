/** Counters a test or benchmark reads to see what the sandbox did. */
export interface CallbackStats {
  /** HTTP deliveries attempted (retries and duplicates included). */
  sent: number;
  /** Deliveries the target acknowledged with a 2xx. */
  delivered: number;
  /** Deliveries dropped on purpose (`callbackLossRate`). */
  lost: number;
  /** Extra copies sent (`callbackDuplicateRate`). */
  duplicated: number;
  /** Deliveries given up after every retry failed. */
  failed: number;
  /** `avatar_video_gif.success` noise events sent (`callbackNoiseRate`). */
  noise: number;
}

export interface HeyGenSandboxStats {
  /** API requests received (`/_sandbox/*` excluded). */
  requests: number;
  createsAccepted: number;
  /** Creates answered from the idempotency store. */
  createsReplayed: number;
  /** Every 429 sent, spurious ones included. */
  rateLimited: number;
  /** 429s sent by `rateLimitStormRate`. */
  spuriousRateLimited: number;
  errorsInjected: number;
  resetsInjected: number;
  timeoutsAfterAccept: number;
  /** Creates holding their `Idempotency-Key` right now. */
  createsInProgress: number;
  inFlight: number;
  waiting: number;
  maxConcurrentObserved: number;
  /** Requests to any status endpoint. */
  statusCalls: number;
  /** Image downloads (GIF, JPEG) at the signed file links: what a thumbnail cache must not repeat. */
  imageDownloads: number;
  rendersCompleted: number;
  rendersFailed: number;
  callbacks: CallbackStats;
}

export type CounterName = Exclude<
  keyof HeyGenSandboxStats,
  'callbacks' | 'createsInProgress' | 'inFlight' | 'waiting' | 'maxConcurrentObserved'
>;

const zeroCallbacks = (): CallbackStats => ({ sent: 0, delivered: 0, lost: 0, duplicated: 0, failed: 0, noise: 0 });

export class StatsCounter {
  private counters: Record<CounterName, number> = StatsCounter.zero();
  private maxConcurrent = 0;
  readonly callbacks: CallbackStats = zeroCallbacks();

  private static zero(): Record<CounterName, number> {
    return {
      requests: 0,
      createsAccepted: 0,
      createsReplayed: 0,
      rateLimited: 0,
      spuriousRateLimited: 0,
      errorsInjected: 0,
      resetsInjected: 0,
      timeoutsAfterAccept: 0,
      statusCalls: 0,
      imageDownloads: 0,
      rendersCompleted: 0,
      rendersFailed: 0,
    };
  }

  bump(name: CounterName): void {
    this.counters[name]++;
  }

  bumpCallback(name: keyof CallbackStats): void {
    this.callbacks[name]++;
  }

  observeConcurrency(inFlight: number): void {
    if (inFlight > this.maxConcurrent) this.maxConcurrent = inFlight;
  }

  snapshot(live: { createsInProgress: number; inFlight: number; waiting: number }): HeyGenSandboxStats {
    return { ...this.counters, ...live, maxConcurrentObserved: this.maxConcurrent, callbacks: { ...this.callbacks } };
  }

  reset(): void {
    this.counters = StatsCounter.zero();
    this.maxConcurrent = 0;
    Object.assign(this.callbacks, zeroCallbacks());
  }
}
