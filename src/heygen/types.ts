/**
 * The HeyGen vocabulary the rest of Reelay sees (one interface over the v3
 * and v2 APIs), and the pure functions that translate wire values into it.
 */
import { submissionMarker } from '../core/render-key.js';
import type { Clock } from '../core/clock.js';
import type { ResponseInfo } from '../http-client/types.js';

export type HeyGenApi = 'v3' | 'v2';

export type VideoStatus = 'queued' | 'processing' | 'completed' | 'failed' | 'not_found';

export interface TemplateVariable {
  name: string;
  type: string;
  properties: { content: string };
}

export interface CreateFromTemplateRequest {
  templateId: string;
  /** Gets a ` [rk:…]` marker appended, so the video can be found by its callback id later. */
  title: string;
  variables: Record<string, TemplateVariable>;
  callbackId: string;
  /** Sent as `Idempotency-Key` on v3 (1–255 chars of `[A-Za-z0-9_:.-]`); v2 has no idempotency. */
  idempotencyKey: string;
  caption?: boolean;
  folderId?: string;
  enableSharing?: boolean;
  /** v2 only (watermarked, not billed); v3 has no test mode and refuses it. */
  test?: boolean;
}

export interface CreatedVideo {
  videoId: string;
  /** True when HeyGen answered a v3 replay of an earlier create with this key. */
  replayed: boolean;
}

export interface HeyGenVideo {
  id: string;
  status: VideoStatus;
  /** HeyGen's own word, kept for logs and timelines. */
  rawStatus: string;
  videoUrl?: string;
  shareUrl?: string;
  thumbnailUrl?: string;
  /** An animated preview (signed, expiring like `videoUrl`), where HeyGen made one. */
  gifUrl?: string;
  failureCode?: string;
  failureMessage?: string;
  /** When the signed `videoUrl` stops working (epoch ms), when the URL says. */
  urlExpiresAt?: number;
  /** The `callback_id` HeyGen reports for the video, where its API shows one (v1 `video_status.get`). */
  callbackId?: string;
  /** The title HeyGen reports, where its API shows one (v3 video objects). */
  title?: string;
}

export interface VideoStatusSummary {
  status: VideoStatus;
  failureCode?: string;
  failureMessage?: string;
}

export interface TemplateInfo {
  id: string;
  variables: Record<string, { type: string }>;
}

export interface WebhookEndpoint {
  id: string;
  url: string;
  events: string[];
}

export interface CreatedWebhookEndpoint {
  id: string;
  url: string;
  /** Shown once, at creation. */
  secret: string | null;
}

export interface HeyGenClient {
  readonly api: HeyGenApi;
  /**
   * Starts a render. Failures are `ProviderError`s: 402 / `insufficient_credit`
   * is blocking; `maybeApplied` means HeyGen may have accepted it anyway, so
   * the create must not be repeated blindly (replay the key on v3, look the
   * video up with `findVideoByCallbackId` on v2).
   */
  createFromTemplate(req: CreateFromTemplateRequest): Promise<CreatedVideo>;
  /** An unknown video is `status: 'not_found'`, not an error. */
  getVideo(videoId: string): Promise<HeyGenVideo>;
  /** Ids HeyGen gave no answer for are absent from the map. */
  getStatuses(videoIds: string[]): Promise<Map<string, VideoStatusSummary>>;
  /** Null when the template does not exist. */
  getTemplate(templateId: string): Promise<TemplateInfo | null>;
  /**
   * Finds the video a create with this callback id produced, looking back to
   * `since` (epoch ms) in the webhook history and the video list. Null means
   * provably absent in that window; a window too long to read throws
   * `lookup_incomplete`.
   */
  findVideoByCallbackId(callbackId: string, opts: { since: number }): Promise<string | null>;
  /**
   * v2 only: makes the video's share page public and returns it (the legacy
   * status read carries no share URL). Null when HeyGen answers none.
   */
  sharePage?(videoId: string): Promise<string | null>;
  listWebhookEndpoints(): Promise<WebhookEndpoint[]>;
  createWebhookEndpoint(url: string, events: string[]): Promise<CreatedWebhookEndpoint>;
}

export interface HeyGenClientOptions {
  api: HeyGenApi;
  baseUrl: string;
  apiKey: string;
  timeoutMs: number;
  onResponse?: (info: ResponseInfo) => void;
  fetch?: typeof fetch;
  clock?: Clock;
}

// ---- translating wire values ----------------------------------------------

const STATUS_WORDS: Record<string, VideoStatus> = {
  waiting: 'queued',
  pending: 'queued',
  queued: 'queued',
  processing: 'processing',
  rendering: 'processing',
  completed: 'completed',
  success: 'completed',
  failed: 'failed',
  fail: 'failed',
  error: 'failed',
  not_found: 'not_found',
};

/** Maps HeyGen's status words; an unknown word counts as still processing (not terminal). */
export function normaliseVideoStatus(raw: string | null | undefined): VideoStatus {
  return STATUS_WORDS[(raw ?? '').trim().toLowerCase()] ?? 'processing';
}

/**
 * When a signed URL expires, in epoch ms: CloudFront-style `Expires=<epoch s>`
 * or S3 SigV4 `X-Amz-Date` + `X-Amz-Expires`. Undefined when it does not say.
 */
export function signedUrlExpiry(url: string | null | undefined): number | undefined {
  if (!url) return undefined;
  let params: URLSearchParams;
  try {
    params = new URL(url).searchParams;
  } catch {
    return undefined;
  }
  const expires = params.get('Expires') ?? params.get('expires');
  if (expires !== null && /^\d+$/.test(expires)) return Number(expires) * 1000;
  const amzDate = params.get('X-Amz-Date');
  const amzExpires = params.get('X-Amz-Expires');
  const stamp = amzDate === null ? null : /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (stamp && amzExpires !== null && /^\d+$/.test(amzExpires)) {
    const [, y, mo, d, h, mi, s] = stamp.map(Number) as [number, number, number, number, number, number, number];
    return Date.UTC(y, mo - 1, d, h, mi, s) + Number(amzExpires) * 1000;
  }
  return undefined;
}

/** HeyGen documents that `video_url` links expire after 7 days. */
export const DOCUMENTED_URL_LIFETIME_MS = 7 * 24 * 60 * 60_000;

/**
 * Until when a `video_url` fetched at `fetchedAt` (epoch ms) works: what the
 * URL says, else HeyGen's documented 7 days from the fetch.
 */
export function videoUrlValidUntil(url: string, fetchedAt: number): number {
  return signedUrlExpiry(url) ?? fetchedAt + DOCUMENTED_URL_LIFETIME_MS;
}

/**
 * How a render is recognised in a title HeyGen lists (see
 * `submissionMarker`: the render key's format is `core/render-key`'s alone).
 */
export function callbackMarker(callbackId: string): string {
  return submissionMarker(callbackId);
}

/**
 * The title with this callback id's marker at its end. Titles hold text a
 * contact controls (a first name), so only the end counts: the marker is
 * appended even when the text already carries it elsewhere.
 */
export function withCallbackMarker(title: string, callbackId: string): string {
  const marker = callbackMarker(callbackId);
  const trimmed = title.trimEnd();
  return trimmed.endsWith(marker) ? trimmed : `${trimmed} ${marker}`.trim();
}

/** Epoch ms from HeyGen's mix of unix seconds, unix ms and ISO 8601 strings. */
export function toEpochMs(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value < 1e12 ? value * 1000 : value;
  if (typeof value === 'string' && value.trim() !== '') {
    if (/^\d+$/.test(value.trim())) return toEpochMs(Number(value));
    const parsed = Date.parse(value);
    return Number.isNaN(parsed) ? undefined : parsed;
  }
  return undefined;
}

/** HeyGen's clock is not ours: a lookup window opens this much earlier than asked. */
const LOOKUP_CLOCK_SKEW_MS = 5 * 60_000;

export function lookupWindowStart(since: number): number {
  return since - LOOKUP_CLOCK_SKEW_MS;
}

/**
 * Whether a video, as HeyGen's own API shows it, belongs to the render with
 * this callback id: the callback id HeyGen reports (v1 `video_status.get`,
 * v3 webhook history), else the marker at the end of its title. Never feed
 * it what a callback body claims: callbacks are hints, not evidence.
 */
export function matchesCallback(callbackId: string, seen: { callbackId?: string | null; title?: string | null }): boolean {
  if (typeof seen.callbackId === 'string' && seen.callbackId !== '') return seen.callbackId === callbackId;
  return typeof seen.title === 'string' && seen.title.trimEnd().endsWith(callbackMarker(callbackId));
}
