/**
 * Subscription deliveries as HubSpot makes them: events gather into arrays
 * of up to `maxBatchSize`, at most `concurrency` requests in flight, each
 * batch retried on any non-2xx, timeout or connection failure with
 * `attemptNumber` counting up. Duplicates and shuffling are seeded.
 */
import type { Clock, Random } from '../../../core/clock.js';
import { shuffleInPlace } from '../shuffle.js';
import { retryDelay } from './backoff.js';
import type { DeliveryLog } from './delivery-log.js';
import type { PendingWork } from './pending-work.js';
import { describeOutcome, postJson } from './post-json.js';
import type { WebhookSettings } from './settings.js';
import { signV1, signV3 } from './signing.js';
import type { SubscriptionEvent } from './subscriptions.js';

export interface SubscriptionDispatcherDeps {
  clock: Clock;
  random: Random;
  clientSecret: string;
  pending: PendingWork;
  log: DeliveryLog;
  settings: () => WebhookSettings;
  target: () => string | undefined;
}

interface Batch {
  events: SubscriptionEvent[];
  attempts: number;
}

export class SubscriptionDispatcher {
  private queue: SubscriptionEvent[] = [];
  /** Duplicates held back so they arrive in a later batch than their original. */
  private echoes: SubscriptionEvent[] = [];
  private ready: Batch[] = [];
  private inFlight = 0;
  private flushArmed = false;

  constructor(private readonly deps: SubscriptionDispatcherDeps) {}

  enqueue(events: readonly SubscriptionEvent[]): void {
    if (events.length === 0 || this.deps.pending.closed) return;
    const { log, random } = this.deps;
    if (this.deps.target() === undefined) {
      log.countSubscription('dropped', events.length);
      return;
    }
    const settings = this.deps.settings();
    for (const event of events) {
      this.queue.push(event);
      log.countSubscription('events');
      if (settings.duplicateRate > 0 && random() < settings.duplicateRate) {
        log.countSubscription('duplicatesInjected');
        const copy = { ...event };
        if (random() < 0.5) this.queue.splice(Math.floor(random() * (this.queue.length + 1)), 0, copy);
        else this.echoes.push(copy);
      }
      while (this.queue.length >= settings.maxBatchSize) this.cut(settings);
    }
    this.pump();
    this.armFlush();
  }

  /** Forgets queued and waiting batches (the sandbox is closing). */
  close(): void {
    for (let i = 0; i < this.ready.length; i++) {
      this.deps.log.countSubscription('failed');
      this.deps.pending.end();
    }
    this.ready = [];
    this.queue = [];
    this.echoes = [];
  }

  private cut(settings: WebhookSettings): void {
    const events = this.queue.splice(0, settings.maxBatchSize);
    if (this.echoes.length > 0) this.queue.push(...this.echoes.splice(0));
    if (events.length === 0) return;
    if (settings.shuffle) shuffleInPlace(events, this.deps.random);
    this.deps.pending.begin();
    this.deps.log.countSubscription('batches');
    this.ready.push({ events, attempts: 0 });
  }

  private armFlush(): void {
    if (this.flushArmed || (this.queue.length === 0 && this.echoes.length === 0)) return;
    this.flushArmed = true;
    this.deps.pending.schedule(
      this.deps.settings().batchDelayMs,
      () => {
        this.flushArmed = false;
        const settings = this.deps.settings();
        while (this.queue.length > 0 || this.echoes.length > 0) this.cut(settings);
        this.pump();
      },
      () => {
        this.flushArmed = false;
      },
    );
  }

  private pump(): void {
    const settings = this.deps.settings();
    while (!this.deps.pending.closed && this.inFlight < settings.concurrency && this.ready.length > 0) {
      const index = settings.shuffle ? Math.floor(this.deps.random() * this.ready.length) : 0;
      const [batch] = this.ready.splice(index, 1);
      if (!batch) break;
      this.inFlight++;
      void this.attempt(batch);
    }
  }

  private async attempt(batch: Batch): Promise<void> {
    const { clock, pending, log } = this.deps;
    const settings = this.deps.settings();
    const url = this.deps.target();
    batch.attempts++;
    if (url === undefined) {
      this.inFlight--;
      this.finish(false);
      return;
    }
    const body = JSON.stringify(batch.events.map((e) => ({ ...e, attemptNumber: batch.attempts - 1 })));
    const outcome = await postJson(url, body, this.signatureHeaders(url, body, settings), settings.subscriptionTimeoutMs, pending.signal);
    log.record({ kind: 'subscription', url, attempt: batch.attempts, eventCount: batch.events.length, at: clock.now(), ...describeOutcome(outcome) });
    this.inFlight--;
    const delivered = outcome.kind === 'response' && outcome.status >= 200 && outcome.status < 300;
    if (delivered || outcome.kind === 'aborted' || batch.attempts >= settings.subscriptionMaxAttempts) {
      this.finish(delivered);
    } else {
      pending.schedule(
        retryDelay(batch.attempts, settings, this.deps.random),
        () => {
          this.ready.push(batch);
          this.pump();
        },
        () => this.finish(false),
      );
    }
    this.pump();
  }

  private finish(delivered: boolean): void {
    this.deps.log.countSubscription(delivered ? 'delivered' : 'failed');
    this.deps.pending.end();
  }

  private signatureHeaders(url: string, body: string, settings: WebhookSettings): Record<string, string> {
    const { clientSecret, clock } = this.deps;
    const headers: Record<string, string> = {};
    if (settings.signatureVersion !== 'v3') {
      headers['x-hubspot-signature'] = signV1(clientSecret, body);
      headers['x-hubspot-signature-version'] = 'v1';
    }
    if (settings.signatureVersion !== 'v1') {
      const timestamp = clock.now();
      headers['x-hubspot-signature-v3'] = signV3(clientSecret, 'POST', url, body, timestamp);
      headers['x-hubspot-request-timestamp'] = String(timestamp);
    }
    return headers;
  }
}
