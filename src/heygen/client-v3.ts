/**
 * HeyGen's current API (v3): template renders with `Idempotency-Key`, video
 * objects, batched statuses, webhook endpoints and their delivery history.
 */
import { z } from 'zod';
import { ConfigError } from '../core/errors.js';
import { createDecodedCall } from '../http-client/decode.js';
import type { DecodedCall } from '../http-client/decode.js';
import { createJsonHttp } from '../http-client/json-http.js';
import { nullOn404 } from '../http-client/not-found.js';
import { scanNewestFirst } from '../http-client/scan-newest-first.js';
import { HEYGEN_API_KEY_HEADER, IDEMPOTENCY_KEY_HEADER, REPLAY_HEADERS, heygenV3Paths as paths } from './paths.js';
import {
  lookupWindowStart,
  matchesCallback,
  normaliseVideoStatus,
  signedUrlExpiry,
  toEpochMs,
  withCallbackMarker,
} from './types.js';
import type { HeyGenClient, HeyGenClientOptions, HeyGenVideo, VideoStatusSummary, WebhookEndpoint } from './types.js';

const STATUS_BATCH = 100;
const PAGE_SIZE = 100;
const MAX_LOOKUP_PAGES = 50;
const IDEMPOTENCY_KEY = /^[A-Za-z0-9_:.-]{1,255}$/;

const code = z.union([z.string(), z.number()]).transform(String);
const timestamp = z.union([z.number(), z.string()]).nullish();

const wireVideo = z.object({
  id: z.string().optional(),
  video_id: z.string().optional(),
  status: z.string().nullish(),
  title: z.string().nullish(),
  callback_id: z.string().nullish(),
  video_url: z.string().nullish(),
  video_page_url: z.string().nullish(),
  thumbnail_url: z.string().nullish(),
  gif_url: z.string().nullish(),
  failure_code: code.nullish(),
  failure_message: z.string().nullish(),
  created_at: timestamp,
});
type WireVideo = z.output<typeof wireVideo>;

const wireCreated = z.object({ data: wireVideo }).transform((body, ctx) => {
  const id = body.data.id ?? body.data.video_id;
  if (id === undefined) {
    ctx.addIssue({ code: 'custom', message: 'no video id', path: ['data', 'id'] });
    return z.NEVER;
  }
  return id;
});
const wireVideoEnvelope = z.object({ data: wireVideo });

const wireCursor = { has_more: z.boolean().optional(), next_token: z.string().nullish() };

const wireStatuses = z.object({
  data: z
    .array(
      z.object({
        // Null for an item of a batch whose video does not exist yet.
        video_id: z.string().nullish(),
        status: z.string().nullish(),
        error: z
          .union([z.object({ code: code.nullish(), message: z.string().nullish() }), z.string()])
          .nullish()
          .transform((e) => (typeof e === 'string' ? { code: null, message: e } : { code: e?.code, message: e?.message })),
      }),
    )
    .default([]),
  ...wireCursor,
});

/**
 * HeyGen's OpenAPI puts variable types in `scenes[].variables[].variable_type`;
 * the `variables` map holds current values and promises no `type`. Both are
 * read: a scene's type wins, a `type` in the map is the fallback, and a
 * variable typed nowhere counts as text (docs/api-notes/heygen.md).
 */
const wireTemplate = z.object({
  data: z.object({
    id: z.string().optional(),
    variables: z.record(z.string(), z.object({ type: z.string().nullish() }).nullish()).nullish(),
    scenes: z
      .array(z.object({ variables: z.array(z.object({ name: z.string(), variable_type: z.string().nullish() })).nullish() }))
      .nullish(),
  }),
});

function templateVariableTypes(data: z.output<typeof wireTemplate>['data']): Record<string, { type: string }> {
  const types: Record<string, { type: string }> = {};
  for (const scene of data.scenes ?? []) {
    for (const v of scene.variables ?? []) {
      if (v.variable_type && types[v.name] === undefined) types[v.name] = { type: v.variable_type };
    }
  }
  for (const [name, v] of Object.entries(data.variables ?? {})) types[name] ??= { type: v?.type ?? 'text' };
  return types;
}

const wireVideoList = z.object({ data: z.array(wireVideo).default([]), ...wireCursor });

const wireEvents = z.object({
  data: z
    .array(z.object({ event_data: z.record(z.string(), z.unknown()).default({}), created_at: timestamp }))
    .default([]),
  ...wireCursor,
});

const wireEndpoint = z.object({
  endpoint_id: z.string(),
  url: z.string(),
  events: z.array(z.string()).nullish(),
  secret: z.string().nullish(),
});
const wireEndpointList = z.object({ data: z.array(wireEndpoint).default([]), ...wireCursor });
const wireEndpointCreated = z.object({ data: wireEndpoint });

function nextToken(page: { has_more?: boolean | undefined; next_token?: string | null | undefined }): string | null {
  return page.has_more === false ? null : (page.next_token ?? null);
}

function toVideo(wire: WireVideo, requestedId: string): HeyGenVideo {
  const rawStatus = wire.status ?? 'unknown';
  return {
    id: wire.id ?? wire.video_id ?? requestedId,
    status: normaliseVideoStatus(rawStatus),
    rawStatus,
    videoUrl: wire.video_url ?? undefined,
    shareUrl: wire.video_page_url ?? undefined,
    thumbnailUrl: wire.thumbnail_url ?? undefined,
    gifUrl: wire.gif_url ?? undefined,
    failureCode: wire.failure_code ?? undefined,
    failureMessage: wire.failure_message ?? undefined,
    urlExpiresAt: signedUrlExpiry(wire.video_url),
  };
}

/**
 * Looks for the video of `callbackId` in the webhook delivery history
 * (`GET /v3/webhooks/events`), which only holds finished renders. Exported for
 * the v2 client: legacy accounts have no history of their own.
 */
export function findInWebhookHistory(call: DecodedCall, callbackId: string, since: number): Promise<string | null> {
  return scanNewestFirst({
    provider: 'heygen',
    operation: 'webhooks.events',
    since,
    maxPages: MAX_LOOKUP_PAGES,
    fetchPage: async (token) => {
      const { data } = await call(
        { operation: 'webhooks.events', method: 'GET', path: paths.webhookEvents(), query: { limit: PAGE_SIZE, token } },
        wireEvents,
      );
      return { items: data.data, nextToken: nextToken(data) };
    },
    createdAt: (event) => toEpochMs(event.created_at),
    match: (event) => {
      const { callback_id: seenId, video_id: videoId } = event.event_data;
      return seenId === callbackId && typeof videoId === 'string' ? videoId : undefined;
    },
  });
}

export function createV3Client(options: HeyGenClientOptions): HeyGenClient {
  const http = createJsonHttp({
    baseUrl: options.baseUrl,
    headers: { [HEYGEN_API_KEY_HEADER]: options.apiKey },
    timeoutMs: options.timeoutMs,
    provider: 'heygen',
    fetch: options.fetch,
    clock: options.clock,
    onResponse: options.onResponse,
    secrets: [options.apiKey],
  });
  const call = createDecodedCall(http, 'heygen');

  return {
    api: 'v3',

    async createFromTemplate(req) {
      if (req.test) {
        throw new ConfigError('test renders exist only on the v2 API (heygen.api: v2)', 'heygen.api');
      }
      if (!IDEMPOTENCY_KEY.test(req.idempotencyKey)) {
        throw new Error('templates.render: Idempotency-Key must be 1-255 characters of [A-Za-z0-9_:.-]');
      }
      const { data, headers } = await call(
        {
          operation: 'templates.render',
          method: 'POST',
          path: paths.renderTemplate(req.templateId),
          headers: { [IDEMPOTENCY_KEY_HEADER]: req.idempotencyKey },
          body: {
            title: withCallbackMarker(req.title, req.callbackId),
            variables: req.variables,
            callback_id: req.callbackId,
            caption: req.caption,
            folder_id: req.folderId,
            enable_sharing: req.enableSharing,
          },
        },
        wireCreated,
      );
      const replayed = REPLAY_HEADERS.some((name) => headers.get(name)?.trim().toLowerCase() === 'true');
      return { videoId: data, replayed };
    },

    async getVideo(videoId) {
      const found = await nullOn404(
        call({ operation: 'videos.get', method: 'GET', path: paths.video(videoId) }, wireVideoEnvelope),
      );
      if (found === null) return { id: videoId, status: 'not_found', rawStatus: 'not_found' };
      return toVideo(found.data.data, videoId);
    },

    async getStatuses(videoIds) {
      const statuses = new Map<string, VideoStatusSummary>();
      const unique = [...new Set(videoIds)];
      // The endpoint takes `video_ids` (and `batch_ids`) only, up to 100, and answers them in one page.
      for (let start = 0; start < unique.length; start += STATUS_BATCH) {
        const ids = unique.slice(start, start + STATUS_BATCH).join(',');
        const { data } = await call(
          { operation: 'videos.statuses', method: 'GET', path: paths.videoStatuses(), query: { video_ids: ids } },
          wireStatuses,
        );
        for (const item of data.data) {
          if (typeof item.video_id !== 'string') continue;
          statuses.set(item.video_id, {
            status: normaliseVideoStatus(item.status),
            failureCode: item.error.code ?? undefined,
            failureMessage: item.error.message ?? undefined,
          });
        }
      }
      return statuses;
    },

    async getTemplate(templateId) {
      const found = await nullOn404(
        call({ operation: 'templates.get', method: 'GET', path: paths.template(templateId) }, wireTemplate),
      );
      if (found === null) return null;
      return { id: found.data.data.id ?? templateId, variables: templateVariableTypes(found.data.data) };
    },

    async findVideoByCallbackId(callbackId, opts) {
      const since = lookupWindowStart(opts.since);
      const finished = await findInWebhookHistory(call, callbackId, since);
      if (finished !== null) return finished;
      return scanNewestFirst({
        provider: 'heygen',
        operation: 'videos.list',
        since,
        maxPages: MAX_LOOKUP_PAGES,
        fetchPage: async (token) => {
          const { data } = await call(
            { operation: 'videos.list', method: 'GET', path: paths.videos(), query: { limit: PAGE_SIZE, token } },
            wireVideoList,
          );
          return { items: data.data, nextToken: nextToken(data) };
        },
        createdAt: (video) => toEpochMs(video.created_at),
        match: (video) =>
          matchesCallback(callbackId, { callbackId: video.callback_id, title: video.title })
            ? (video.id ?? video.video_id)
            : undefined,
      });
    },

    async listWebhookEndpoints() {
      const endpoints: WebhookEndpoint[] = [];
      let token: string | undefined;
      const seen = new Set<string>();
      do {
        const { data } = await call(
          {
            operation: 'webhooks.listEndpoints',
            method: 'GET',
            path: paths.webhookEndpoints(),
            query: { limit: PAGE_SIZE, token },
          },
          wireEndpointList,
        );
        endpoints.push(...data.data.map((e) => ({ id: e.endpoint_id, url: e.url, events: e.events ?? [] })));
        if (token !== undefined) seen.add(token);
        token = nextToken(data) ?? undefined;
      } while (token !== undefined && !seen.has(token));
      return endpoints;
    },

    async createWebhookEndpoint(url, events) {
      const { data } = await call(
        { operation: 'webhooks.createEndpoint', method: 'POST', path: paths.webhookEndpoints(), body: { url, events } },
        wireEndpointCreated,
      );
      return { id: data.data.endpoint_id, url: data.data.url, secret: data.data.secret ?? null };
    },
  };
}
