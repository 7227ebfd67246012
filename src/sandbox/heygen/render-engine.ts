/**
 * Runs renders: at most `concurrency` in `pending`/`processing` at once, the
 * rest waiting in FIFO order (queue mode) or refused (429 mode).
 *
 *   waiting ──▶ pending ──(¼ of render time)──▶ processing ──▶ completed | failed
 *
 * Render time runs on real timers; timestamps shown to clients come from the
 * injected clock. Insufficient credit fails a render as it leaves `pending`.
 */
import { performance } from 'node:perf_hooks';
import type { Clock } from '../../core/clock.js';
import { FifoQueue } from './fifo-queue.js';
import type { Limits } from './limits.js';
import { INSUFFICIENT_CREDIT_CODE, INSUFFICIENT_CREDIT_MESSAGE } from './render-plan.js';
import type { VideoRecord } from './video-store.js';

export type Admission = { kind: 'start' } | { kind: 'queue' } | { kind: 'reject'; retryAfterSeconds: number };

export interface RenderEngineDeps {
  clock: Clock;
  limits: () => Limits;
  /** A render reached `completed` or `failed`. */
  onFinal: (video: VideoRecord) => void;
  /** In-flight count after a render started (for the "max concurrent" statistic). */
  onStarted: (inFlight: number) => void;
  /** Anything that may have made the engine idle. */
  onSettled: () => void;
}

const PENDING_SHARE = 0.25;

export class RenderEngine {
  /** In-flight render -> real time (performance.now) it is expected to end. */
  private readonly inFlight = new Map<VideoRecord, number>();
  private readonly waiting = new FifoQueue<VideoRecord>();
  private readonly timers = new Map<VideoRecord, NodeJS.Timeout>();

  constructor(private readonly deps: RenderEngineDeps) {}

  get inFlightCount(): number {
    return this.inFlight.size;
  }

  get waitingCount(): number {
    return this.waiting.length;
  }

  /** Renders that will still reach a final status (stuck ones never do). */
  get unfinishedCount(): number {
    return this.inFlight.size + this.waiting.length;
  }

  /** Whether a new render may start now, must wait, or is refused. */
  admission(): Admission {
    const limits = this.deps.limits();
    if (this.inFlight.size < limits.concurrency && this.waiting.length === 0) return { kind: 'start' };
    if (limits.overflow === 'queue') return { kind: 'queue' };
    return { kind: 'reject', retryAfterSeconds: this.secondsUntilSlotFrees() };
  }

  /** Takes an admitted render (status `waiting`) and starts it when a slot is free. */
  submit(video: VideoRecord): void {
    this.waiting.push(video);
    this.pump();
  }

  /** Starts waiting renders while slots are free; call after the limits change. */
  pump(): void {
    const { concurrency } = this.deps.limits();
    while (this.inFlight.size < concurrency) {
      const next = this.waiting.shift();
      if (!next) return;
      this.start(next);
    }
  }

  /** Stops every timer and forgets every render. */
  reset(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.inFlight.clear();
    this.waiting.clear();
  }

  private secondsUntilSlotFrees(): number {
    let soonest = Number.POSITIVE_INFINITY;
    for (const endsAt of this.inFlight.values()) soonest = Math.min(soonest, endsAt);
    const ms = Number.isFinite(soonest) ? soonest - performance.now() : 1000;
    return Math.max(1, Math.ceil(ms / 1000));
  }

  private start(video: VideoRecord): void {
    const { renderMs } = video.plan;
    video.status = 'pending';
    this.inFlight.set(video, performance.now() + renderMs);
    this.deps.onStarted(this.inFlight.size);
    const pendingMs = Math.round(renderMs * PENDING_SHARE);
    this.schedule(video, pendingMs, () => this.leavePending(video, renderMs - pendingMs));
  }

  private leavePending(video: VideoRecord, remainingMs: number): void {
    if (video.plan.outcome.kind === 'insufficient_credit') {
      this.finish(video, { code: INSUFFICIENT_CREDIT_CODE, message: INSUFFICIENT_CREDIT_MESSAGE });
      return;
    }
    video.status = 'processing';
    this.schedule(video, remainingMs, () => this.end(video));
  }

  private end(video: VideoRecord): void {
    const { outcome } = video.plan;
    switch (outcome.kind) {
      case 'complete':
        video.durationS = outcome.durationS;
        this.finish(video, null);
        return;
      case 'fail':
        this.finish(video, { code: outcome.code, message: outcome.message });
        return;
      case 'insufficient_credit':
        this.finish(video, { code: INSUFFICIENT_CREDIT_CODE, message: INSUFFICIENT_CREDIT_MESSAGE });
        return;
      case 'stuck':
        // Stays `processing` forever and never calls back; the slot is freed so the account is not blocked for good.
        video.stuck = true;
        this.release(video);
        this.deps.onSettled();
        return;
    }
  }

  private finish(video: VideoRecord, failure: { code: string; message: string } | null): void {
    video.status = failure ? 'failed' : 'completed';
    video.failure = failure;
    video.completedAtMs = this.deps.clock.now();
    this.release(video);
    this.deps.onFinal(video);
    this.deps.onSettled();
  }

  private release(video: VideoRecord): void {
    this.inFlight.delete(video);
    this.pump();
  }

  private schedule(video: VideoRecord, ms: number, action: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(video);
      action();
    }, ms);
    this.timers.set(video, timer);
  }
}
