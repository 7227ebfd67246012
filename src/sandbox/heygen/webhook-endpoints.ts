/**
 * Registered webhook endpoints (v1 and v3 share one registry, as they share
 * one account). Registering a URL that is already registered is refused with
 * 409 `endpoint_already_exists`: a secret is shown only once, so "reuse" means
 * listing the endpoints and keeping the secret you already hold.
 */
import type { Clock, Random } from '../../core/clock.js';
import { invalidParameter, notFound, SandboxApiError } from './api-error.js';
import { randomHex } from './entropy.js';
import { generateWebhookSecret } from './webhook-signing.js';

/** The event types HeyGen's API accepts in a subscription. */
export const webhookEventTypes = [
  'avatar_video.success',
  'avatar_video.fail',
  'avatar_video_gif.success',
  'avatar_video_gif.fail',
  'video_translate.success',
  'video_translate.fail',
  'personalized_video',
  'instant_avatar.success',
  'instant_avatar.fail',
  'photo_avatar_generation.success',
  'photo_avatar_generation.fail',
  'photo_avatar_train.success',
  'photo_avatar_train.fail',
  'photo_avatar_add_motion.success',
  'photo_avatar_add_motion.fail',
  'proofread_creation.success',
  'proofread_creation.fail',
  'live_avatar.success',
  'live_avatar.fail',
  'avatar_video_caption.success',
  'avatar_video_caption.fail',
  'video_agent.success',
  'video_agent.fail',
] as const;

export interface WebhookEndpoint {
  endpointId: string;
  url: string;
  /** Null: every event. */
  events: string[] | null;
  secret: string;
  createdAtMs: number;
}

export interface PreRegisteredEndpoint {
  url: string;
  secret: string;
}

/** Validates `{url, events}` from a registration body. */
export function readRegistration(body: unknown): { url: string; events: string[] | null } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalidParameter('request body must be a JSON object');
  const { url, events } = body as Record<string, unknown>;
  if (typeof url !== 'string' || !URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
    throw invalidParameter('url must be an http(s) URL');
  }
  if (events === undefined || events === null) return { url, events: null };
  if (!Array.isArray(events) || events.some((e) => typeof e !== 'string')) throw invalidParameter('events must be an array of event types');
  const unknown = events.find((e) => !(webhookEventTypes as readonly string[]).includes(e as string));
  if (unknown !== undefined) throw invalidParameter(`unknown event type: ${String(unknown)}`);
  return { url, events: events.length === 0 ? null : [...new Set(events as string[])] };
}

export class WebhookEndpointRegistry {
  private readonly byId = new Map<string, WebhookEndpoint>();

  constructor(
    private readonly clock: Clock,
    private ids: Random,
    private preRegistered: PreRegisteredEndpoint | null,
  ) {
    this.reset(ids);
  }

  /** The endpoint configured at start, if any. */
  get initialEndpoint(): WebhookEndpoint | undefined {
    return this.preRegistered ? this.findByUrl(this.preRegistered.url) : undefined;
  }

  /**
   * Points the endpoint configured at start at `url`, keeping its id and
   * secret: for a receiver whose address is known only once it listens.
   */
  retargetInitial(url: string): void {
    const endpoint = this.initialEndpoint;
    if (!this.preRegistered || !endpoint) throw new Error('no webhook endpoint was configured at start');
    endpoint.url = url;
    this.preRegistered = { ...this.preRegistered, url };
  }

  add(url: string, events: string[] | null, secret: string = generateWebhookSecret()): WebhookEndpoint {
    const existing = this.findByUrl(url);
    if (existing) {
      throw new SandboxApiError(409, 'endpoint_already_exists', `${url} is already registered as endpoint ${existing.endpointId}`);
    }
    const endpoint: WebhookEndpoint = { endpointId: randomHex(this.ids, 32), url, events, secret, createdAtMs: this.clock.now() };
    this.byId.set(endpoint.endpointId, endpoint);
    return endpoint;
  }

  get(endpointId: string): WebhookEndpoint | undefined {
    return this.byId.get(endpointId);
  }

  list(): WebhookEndpoint[] {
    return [...this.byId.values()];
  }

  remove(endpointId: string): void {
    if (!this.byId.delete(endpointId)) throw notFound('endpoint_not_found', `no webhook endpoint ${endpointId}`);
  }

  rotateSecret(endpointId: string): WebhookEndpoint {
    const endpoint = this.byId.get(endpointId);
    if (!endpoint) throw notFound('endpoint_not_found', `no webhook endpoint ${endpointId}`);
    endpoint.secret = generateWebhookSecret();
    return endpoint;
  }

  /** Endpoints subscribed to `eventType`. */
  subscribers(eventType: string): WebhookEndpoint[] {
    return this.list().filter((e) => e.events === null || e.events.includes(eventType));
  }

  /** Forgets every endpoint registered through the API; keeps the pre-registered one with its secret. */
  reset(ids: Random): void {
    this.ids = ids;
    this.byId.clear();
    if (this.preRegistered) this.add(this.preRegistered.url, null, this.preRegistered.secret);
  }

  private findByUrl(url: string): WebhookEndpoint | undefined {
    for (const endpoint of this.byId.values()) if (endpoint.url === url) return endpoint;
    return undefined;
  }
}

export function endpointView(endpoint: WebhookEndpoint, withSecret: boolean): Record<string, unknown> {
  return {
    endpoint_id: endpoint.endpointId,
    url: endpoint.url,
    events: endpoint.events,
    status: 'enabled',
    created_at: new Date(endpoint.createdAtMs).toISOString(),
    ...(withSecret ? { secret: endpoint.secret } : {}),
  };
}
