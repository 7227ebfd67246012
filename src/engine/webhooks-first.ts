/**
 * Webhooks first: intake and the workers share one event loop (`serve
 * --role all`), and when both want more of it than there is, a webhook
 * waits behind worker ticks it has nothing to do with. HubSpot, not the
 * workers, is the one with a timeout and a retry schedule, and a render
 * started 250 ms later costs nothing, so while webhooks are arriving and
 * the loop is more than half busy, every worker loop waits
 * `worker.yieldToWebhooks` before its next tick.
 *
 * The workers are slowed, never stopped: each loop still ticks once per
 * pause, so a sustained stream of webhooks delays renders but does not
 * starve them (in the benchmark, 1,000 webhooks a second during a burst
 * cost about a tenth of the renders started meanwhile, and the p99 of the
 * answers went from seconds to a few hundred ms). Without webhooks, or
 * with a loop that has room, nothing waits.
 */
/** Webhooks this recent count as "arriving". */
export const RECENT_WEBHOOK_MS = 200;
/** Share of the last sampled window the event loop spent running code, above which workers yield. */
export const BUSY_SHARE = 0.5;

export interface WebhooksFirstOptions {
  /** The pause (`worker.yieldToWebhooks`, read on each use so a reload applies); 0 turns yielding off. */
  pauseMs(): number;
  /** Share of recent time the event loop was busy, 0..1 (`observability/event-loop-busy.ts`). */
  loopBusyShare(): number;
  /** Monotonic milliseconds. */
  now(): number;
  /** Seconds spent waiting, for `reelay_worker_yield_seconds_total`. */
  waited?: { inc(seconds: number): void };
}

export class WebhooksFirst {
  private lastWebhookAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly opts: WebhooksFirstOptions) {}

  /** Intake calls this for every delivery it stores. */
  webhookArrived(): void {
    this.lastWebhookAt = this.opts.now();
  }

  /** Milliseconds a worker loop waits before its next tick (0: go on now). */
  waitBeforeTick(): number {
    const pause = this.opts.pauseMs();
    if (pause <= 0) return 0;
    if (this.opts.now() - this.lastWebhookAt > RECENT_WEBHOOK_MS) return 0;
    if (this.opts.loopBusyShare() <= BUSY_SHARE) return 0;
    this.opts.waited?.inc(pause / 1000);
    return pause;
  }
}
