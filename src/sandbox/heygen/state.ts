/**
 * Everything one sandbox instance holds, and the reactions that tie the parts
 * together (a finished render refunds a failure, logs its events and hands
 * them to the dispatcher). `reset()` returns it to how it started.
 */
import type { Socket } from 'node:net';
import type { Random } from '../../core/clock.js';
import { Billing } from './billing.js';
import { CallbackDispatcher, type CallbackTarget } from './callback-dispatcher.js';
import { Entropy, randomHex } from './entropy.js';
import { FaultState } from './faults.js';
import { IdempotencyStore } from './idempotency.js';
import { parseLimitsPatch, type Limits } from './limits.js';
import type { ResolvedOptions } from './options.js';
import { RenderEngine } from './render-engine.js';
import { UrlSigner } from './signed-urls.js';
import { StatsCounter, type HeyGenSandboxStats } from './stats.js';
import { TemplateRegistry } from './templates.js';
import { EventLog, gifNoiseEvent, renderEvent, type WebhookEvent } from './webhook-events.js';
import { WebhookEndpointRegistry } from './webhook-endpoints.js';
import { VideoStore, type VideoRecord } from './video-store.js';

export class SandboxState {
  /** `http://host:port`, known once listening. */
  baseUrl = '';
  private entropy: Entropy;
  private videoIds: Random;
  private concurrency: number;
  private overflow: Limits['overflow'];
  private idleWaiters: Array<() => void> = [];
  private readonly heldSockets = new Map<Socket, NodeJS.Timeout>();
  private readonly closing = new AbortController();

  readonly templates: TemplateRegistry;
  readonly videos = new VideoStore();
  /** Videos made public by `POST /v1/video/share` (a render with `enable_sharing` is public from the start). */
  readonly sharedVideos = new Set<string>();
  readonly idempotency: IdempotencyStore;
  readonly urls: UrlSigner;
  readonly endpoints: WebhookEndpointRegistry;
  readonly events = new EventLog();
  readonly faults: FaultState;
  readonly billing: Billing;
  readonly stats = new StatsCounter();
  readonly engine: RenderEngine;
  readonly dispatcher: CallbackDispatcher;

  constructor(readonly options: ResolvedOptions) {
    const { clock } = options;
    this.entropy = new Entropy(options.seed);
    this.videoIds = this.entropy.stream('video-ids');
    this.concurrency = options.concurrency;
    this.overflow = options.overflow;
    this.templates = new TemplateRegistry(options.templates);
    this.idempotency = new IdempotencyStore(clock);
    this.urls = new UrlSigner(clock, options.urlTtlMs, () => this.baseUrl, options.urlExpiry);
    this.endpoints = new WebhookEndpointRegistry(clock, this.entropy.stream('endpoint-ids'), options.preRegistered);
    this.faults = new FaultState(options.faults, this.entropy);
    this.billing = new Billing(options.credits);
    this.engine = new RenderEngine({
      clock,
      limits: () => this.limits(),
      onFinal: (video) => this.onFinal(video),
      onStarted: (inFlight) => this.stats.observeConcurrency(inFlight),
      onSettled: () => this.checkIdle(),
    });
    this.dispatcher = new CallbackDispatcher({
      clock,
      entropy: () => this.entropy,
      faults: () => this.faults.current,
      stats: this.stats,
      secretOf: (endpointId) => this.endpoints.get(endpointId)?.secret,
      retryDelaysMs: options.callbackRetryDelaysMs,
      timeoutMs: options.callbackTimeoutMs,
      signatureScheme: options.signatureScheme,
      onSettled: () => this.checkIdle(),
    });
  }

  newVideoId(): string {
    return randomHex(this.videoIds, 32);
  }

  /** Randomness for one render or one create, independent of arrival order. */
  keyedRandom(purpose: string, key: string): Random {
    return this.entropy.keyed(purpose, key);
  }

  limits(): Limits {
    return { concurrency: this.concurrency, overflow: this.overflow, credits: this.billing.credits };
  }

  setLimits(input: unknown): Limits {
    const patch = parseLimitsPatch(input);
    if (patch.concurrency !== undefined) this.concurrency = patch.concurrency;
    if (patch.overflow !== undefined) this.overflow = patch.overflow;
    if (patch.credits !== undefined) this.billing.credits = patch.credits;
    this.engine.pump();
    return this.limits();
  }

  statsSnapshot(): HeyGenSandboxStats {
    return this.stats.snapshot({
      createsInProgress: this.idempotency.inProgressCount,
      inFlight: this.engine.inFlightCount,
      waiting: this.engine.waitingCount,
    });
  }

  /** Aborted by `shutdown()`: requests sleeping on a simulated delay give up instead of acting after close. */
  get closingSignal(): AbortSignal {
    return this.closing.signal;
  }

  /** Keeps a socket open without answering, then destroys it (a create whose answer is lost). */
  holdThenDrop(socket: Socket, holdMs: number): void {
    const timer = setTimeout(() => socket.destroy(), holdMs);
    this.heldSockets.set(socket, timer);
    socket.once('close', () => {
      clearTimeout(timer);
      this.heldSockets.delete(socket);
    });
  }

  /** Resolves once every render is final (stuck ones excepted) and every callback delivered or dropped. */
  drain(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  reset(): void {
    this.entropy = new Entropy(this.options.seed);
    this.stopActivity();
    this.videoIds = this.entropy.stream('video-ids');
    this.concurrency = this.options.concurrency;
    this.overflow = this.options.overflow;
    this.templates.reset();
    this.sharedVideos.clear();
    this.videos.clear();
    this.idempotency.clear();
    this.endpoints.reset(this.entropy.stream('endpoint-ids'));
    this.events.clear();
    this.faults.reset(this.entropy);
    this.billing.reset();
    this.stats.reset();
    this.checkIdle();
  }

  /** Stops for good: pending delays abort, then every timer stops. */
  shutdown(): void {
    this.closing.abort();
    this.stopActivity();
  }

  /** Stops every timer: renders, deliveries (whose reorder sequence restarts from the current entropy), held sockets. */
  stopActivity(): void {
    this.engine.reset();
    this.dispatcher.reset();
    for (const [socket, timer] of [...this.heldSockets]) {
      clearTimeout(timer);
      socket.destroy();
    }
    this.heldSockets.clear();
  }

  private isIdle(): boolean {
    return this.engine.unfinishedCount === 0 && this.dispatcher.pending === 0;
  }

  private checkIdle(): void {
    if (!this.isIdle() || this.idleWaiters.length === 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private onFinal(video: VideoRecord): void {
    if (video.status === 'failed') {
      this.stats.bump('rendersFailed');
      this.billing.refund(video);
    } else {
      this.stats.bump('rendersCompleted');
    }
    // Event ids derive from the video, not from finishing order, so a seed replays the same callbacks.
    const ctx = (kind: string) => ({
      eventId: randomHex(this.entropy.keyed('event-id', `${video.id}|${kind}`), 32),
      nowMs: this.options.clock.now(),
      urls: this.urls,
      baseUrl: this.baseUrl,
    });
    this.publish(renderEvent(video, ctx('render')), video);
    if (video.status === 'completed') {
      const noiseDraw = this.entropy.keyed('callback-noise', video.id)();
      if (noiseDraw < this.faults.current.callbackNoiseRate) {
        this.stats.bumpCallback('noise');
        this.publish(gifNoiseEvent(video, ctx('gif')), video, { ignoreSubscriptions: true });
      }
    }
  }

  private publish(event: WebhookEvent, video: VideoRecord, opts: { ignoreSubscriptions?: boolean } = {}): void {
    this.events.add(event);
    const endpoints = opts.ignoreSubscriptions ? this.endpoints.list() : this.endpoints.subscribers(event.event_type);
    const targets: CallbackTarget[] = endpoints.map((e) => ({ url: e.url, endpointId: e.endpointId }));
    if (video.callbackUrl !== null) targets.push({ url: video.callbackUrl, endpointId: null });
    this.dispatcher.dispatch(event, targets);
  }
}

/** Whether a video's share page is public. */
export function isShared(state: SandboxState, video: VideoRecord): boolean {
  return video.enableSharing || state.sharedVideos.has(video.id);
}
