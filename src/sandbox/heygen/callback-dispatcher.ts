/**
 * Delivers webhook events like an unreliable provider: some are lost, some
 * sent twice, some late, some out of order, all decided by randomness keyed by
 * event and target (reproducible under concurrency). A delivery that does not
 * get a 2xx is retried after `retryDelaysMs` (scaled down from HeyGen's
 * minutes), then given up.
 *
 * Registered endpoints get signed deliveries (with the endpoint's secret at
 * the time of sending); a per-job `callback_url` gets the same body unsigned.
 */
import type { Clock, Random } from '../../core/clock.js';
import { rangeAt, shuffle, type Entropy } from './entropy.js';
import type { FaultSettings } from './faults.js';
import type { StatsCounter } from './stats.js';
import type { WebhookEvent } from './webhook-events.js';
import { signatureHeaders, type SignatureScheme } from './webhook-signing.js';

export interface CallbackTarget {
  url: string;
  /** The registered endpoint whose secret signs the delivery; null for an unsigned per-job `callback_url`. */
  endpointId: string | null;
}

export interface CallbackDispatcherDeps {
  clock: Clock;
  entropy: () => Entropy;
  faults: () => FaultSettings;
  stats: StatsCounter;
  /** The endpoint's current secret; undefined once it is deleted (the delivery is then dropped). */
  secretOf: (endpointId: string) => string | undefined;
  retryDelaysMs: readonly number[];
  timeoutMs: number;
  /** How registered endpoints' deliveries are signed. */
  signatureScheme: SignatureScheme;
  /** A delivery finished (acknowledged, given up or dropped). */
  onSettled: () => void;
}

interface Delivery {
  generation: number;
  eventId: string;
  body: string;
  target: CallbackTarget;
}

/** How long callbacks are held to be shuffled when `callbackReorder` is on. */
const REORDER_WINDOW_MS = 50;

export class CallbackDispatcher {
  private pendingCount = 0;
  private generation = 0;
  private readonly timers = new Set<NodeJS.Timeout>();
  private cancel = new AbortController();
  private reorderBuffer: Delivery[] = [];
  private reorderTimer: NodeJS.Timeout | null = null;
  private reorderRandom: Random;

  constructor(private readonly deps: CallbackDispatcherDeps) {
    this.reorderRandom = deps.entropy().stream('callback-reorder');
  }

  /** Deliveries scheduled, in flight or waiting for a retry. */
  get pending(): number {
    return this.pendingCount;
  }

  dispatch(event: WebhookEvent, targets: readonly CallbackTarget[]): void {
    const faults = this.deps.faults();
    const body = JSON.stringify(event);
    for (const target of targets) {
      const random = this.deps.entropy().keyed('callback', `${event.event_id}|${target.endpointId ?? 'callback_url'}`);
      const [lossDraw, duplicateDraw, delayDraw, duplicateDelayDraw] = [random(), random(), random(), random()];
      if (lossDraw < faults.callbackLossRate) {
        this.deps.stats.bumpCallback('lost');
        continue;
      }
      const delivery: Delivery = { generation: this.generation, eventId: event.event_id, body, target };
      this.schedule(delivery, rangeAt(delayDraw, faults.callbackDelayMs));
      if (duplicateDraw < faults.callbackDuplicateRate) {
        this.deps.stats.bumpCallback('duplicated');
        this.schedule({ ...delivery }, rangeAt(duplicateDelayDraw, faults.callbackDelayMs));
      }
    }
  }

  /** Drops every scheduled delivery and aborts those in flight. */
  reset(): void {
    this.generation++;
    this.cancel.abort();
    this.cancel = new AbortController();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    if (this.reorderTimer) clearTimeout(this.reorderTimer);
    this.reorderTimer = null;
    this.reorderBuffer = [];
    this.pendingCount = 0;
    this.reorderRandom = this.deps.entropy().stream('callback-reorder');
  }

  private schedule(delivery: Delivery, delayMs: number): void {
    this.pendingCount++;
    this.after(delayMs, () => {
      if (this.deps.faults().callbackReorder) this.holdForReorder(delivery);
      else void this.send(delivery, 0);
    });
  }

  private holdForReorder(delivery: Delivery): void {
    this.reorderBuffer.push(delivery);
    if (this.reorderTimer) return;
    this.reorderTimer = setTimeout(() => {
      this.reorderTimer = null;
      const batch = shuffle(this.reorderBuffer, this.reorderRandom);
      this.reorderBuffer = [];
      for (const held of batch) void this.send(held, 0);
    }, REORDER_WINDOW_MS);
  }

  private async send(delivery: Delivery, attempt: number): Promise<void> {
    const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'HeyGen-Sandbox-Webhooks/1.0' };
    if (delivery.target.endpointId !== null) {
      const secret = this.deps.secretOf(delivery.target.endpointId);
      if (secret === undefined) {
        this.settle(delivery);
        return;
      }
      const timestamp = Math.floor(this.deps.clock.now() / 1000);
      Object.assign(headers, signatureHeaders(secret, delivery.eventId, timestamp, delivery.body, this.deps.signatureScheme));
    }

    this.deps.stats.bumpCallback('sent');
    let acknowledged = false;
    try {
      const response = await fetch(delivery.target.url, {
        method: 'POST',
        headers,
        body: delivery.body,
        signal: AbortSignal.any([this.cancel.signal, AbortSignal.timeout(this.deps.timeoutMs)]),
      });
      await response.arrayBuffer();
      acknowledged = response.status >= 200 && response.status < 300;
    } catch {
      acknowledged = false;
    }
    if (delivery.generation !== this.generation) return;

    if (acknowledged) {
      this.deps.stats.bumpCallback('delivered');
      this.settle(delivery);
      return;
    }
    const retryDelay = this.deps.retryDelaysMs[attempt];
    if (retryDelay === undefined) {
      this.deps.stats.bumpCallback('failed');
      this.settle(delivery);
      return;
    }
    this.after(retryDelay, () => void this.send(delivery, attempt + 1));
  }

  private settle(delivery: Delivery): void {
    if (delivery.generation !== this.generation) return;
    this.pendingCount--;
    this.deps.onSettled();
  }

  private after(ms: number, action: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      action();
    }, ms);
    this.timers.add(timer);
  }
}
