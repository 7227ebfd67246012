/**
 * HeyGen's legacy API (v2 renders, v1 status and webhooks), as the seed guide
 * uses it. It has no idempotency: a create whose answer was lost is resolved
 * with `findVideoByCallbackId`, never by creating again.
 */
import { z } from 'zod';
import { createDecodedCall } from '../http-client/decode.js';
import { createJsonHttp } from '../http-client/json-http.js';
import { nullOn404 } from '../http-client/not-found.js';
import { scanNewestFirst } from '../http-client/scan-newest-first.js';
import { findInWebhookHistory } from './client-v3.js';
import { HEYGEN_API_KEY_HEADER, heygenV2Paths as paths } from './paths.js';
import {
  lookupWindowStart,
  matchesCallback,
  normaliseVideoStatus,
  signedUrlExpiry,
  toEpochMs,
  withCallbackMarker,
} from './types.js';
import type { HeyGenClient, HeyGenClientOptions, HeyGenVideo, VideoStatusSummary } from './types.js';

const PAGE_SIZE = 100;
const MAX_LOOKUP_PAGES = 50;

const code = z.union([z.string(), z.number()]).transform(String);

const wireGenerated = z.object({ data: z.object({ video_id: z.string() }) });

const wireStatus = z.object({
  data: z.object({
    id: z.string().optional(),
    status: z.string().nullish(),
    video_url: z.string().nullish(),
    thumbnail_url: z.string().nullish(),
    gif_url: z.string().nullish(),
    video_share_page_url: z.string().nullish(),
    callback_id: z.string().nullish(),
    error: z
      .object({ code: code.nullish(), message: z.string().nullish(), detail: z.string().nullish() })
      .nullish(),
  }),
});

const wireTemplate = z.object({
  data: z.object({
    template_id: z.string().optional(),
    variables: z.record(z.string(), z.object({ type: z.string().default('text') })).default({}),
  }),
});

const wireVideoList = z.object({
  data: z.object({
    videos: z
      .array(
        z.object({
          video_id: z.string(),
          video_title: z.string().nullish(),
          created_at: z.union([z.number(), z.string()]).nullish(),
        }),
      )
      .default([]),
    token: z.string().nullish(),
  }),
});

/**
 * `POST /v1/video/share` answers the public share URL; whether as `data`
 * itself or as `data.share_url` is UNCONFIRMED (docs/api-notes/heygen.md):
 * both are read, and `data.url` or a one-element list too.
 */
const wireShare = z.object({
  data: z
    .union([z.string(), z.array(z.string()), z.object({ share_url: z.string().nullish(), url: z.string().nullish() }).loose()])
    .nullish()
    .transform((d) => (typeof d === 'string' ? d : Array.isArray(d) ? (d[0] ?? null) : (d?.share_url ?? d?.url ?? null))),
});

const wireEndpoint = z.object({
  endpoint_id: z.string(),
  url: z.string(),
  events: z.array(z.string()).nullish(),
  secret: z.string().nullish(),
});
const wireEndpointList = z.object({ data: z.array(wireEndpoint).default([]) });
const wireEndpointAdded = z.object({ data: wireEndpoint });

export function createV2Client(options: HeyGenClientOptions): HeyGenClient {
  const http = createJsonHttp({
    baseUrl: options.baseUrl,
    headers: { [HEYGEN_API_KEY_HEADER]: options.apiKey },
    timeoutMs: options.timeoutMs,
    provider: 'heygen',
    fetch: options.fetch,
    clock: options.clock,
    onResponse: options.onResponse,
    secrets: [options.apiKey],
    embeddedErrors: true,
  });
  const call = createDecodedCall(http, 'heygen');

  async function getVideo(videoId: string): Promise<HeyGenVideo> {
    const found = await nullOn404(
      call(
        { operation: 'videos.status', method: 'GET', path: paths.videoStatus(), query: { video_id: videoId } },
        wireStatus,
      ),
    );
    if (found === null) return { id: videoId, status: 'not_found', rawStatus: 'not_found' };
    const video = found.data.data;
    const rawStatus = video.status ?? 'unknown';
    return {
      id: video.id ?? videoId,
      status: normaliseVideoStatus(rawStatus),
      rawStatus,
      videoUrl: video.video_url ?? undefined,
      shareUrl: video.video_share_page_url ?? undefined,
      thumbnailUrl: video.thumbnail_url ?? undefined,
      gifUrl: video.gif_url ?? undefined,
      failureCode: video.error?.code ?? undefined,
      failureMessage: video.error?.message ?? video.error?.detail ?? undefined,
      urlExpiresAt: signedUrlExpiry(video.video_url),
      ...(video.callback_id ? { callbackId: video.callback_id } : {}),
    };
  }

  return {
    api: 'v2',

    async createFromTemplate(req) {
      const { data } = await call(
        {
          operation: 'templates.render',
          method: 'POST',
          path: paths.renderTemplate(req.templateId),
          body: {
            title: withCallbackMarker(req.title, req.callbackId),
            variables: req.variables,
            callback_id: req.callbackId,
            caption: req.caption,
            folder_id: req.folderId,
            enable_sharing: req.enableSharing,
            test: req.test,
          },
        },
        wireGenerated,
      );
      return { videoId: data.data.video_id, replayed: false };
    },

    getVideo,

    async getStatuses(videoIds) {
      const statuses = new Map<string, VideoStatusSummary>();
      // The legacy API reads one video per call; one at a time keeps the rate modest.
      for (const id of new Set(videoIds)) {
        const video = await getVideo(id);
        statuses.set(id, { status: video.status, failureCode: video.failureCode, failureMessage: video.failureMessage });
      }
      return statuses;
    },

    async getTemplate(templateId) {
      const found = await nullOn404(
        call({ operation: 'templates.get', method: 'GET', path: paths.template(templateId) }, wireTemplate),
      );
      if (found === null) return null;
      return { id: found.data.data.template_id ?? templateId, variables: found.data.data.variables };
    },

    async findVideoByCallbackId(callbackId, opts) {
      const since = lookupWindowStart(opts.since);
      // A 404 means this account has no v3 delivery history; the video list still covers the window.
      const finished = await nullOn404(findInWebhookHistory(call, callbackId, since));
      if (finished !== null) return finished;
      return scanNewestFirst({
        provider: 'heygen',
        operation: 'videos.list',
        since,
        maxPages: MAX_LOOKUP_PAGES,
        fetchPage: async (token) => {
          const { data } = await call(
            { operation: 'videos.list', method: 'GET', path: paths.videoList(), query: { limit: PAGE_SIZE, token } },
            wireVideoList,
          );
          return { items: data.data.videos, nextToken: data.data.token ?? null };
        },
        createdAt: (video) => toEpochMs(video.created_at),
        // v1 list items carry no callback_id: the title marker is the only link to a render.
        match: (video) => (matchesCallback(callbackId, { title: video.video_title }) ? video.video_id : undefined),
      });
    },

    async sharePage(videoId) {
      const { data } = await call(
        { operation: 'videos.share', method: 'POST', path: paths.videoShare(), body: { video_id: videoId } },
        wireShare,
      );
      return data.data || null;
    },

    async listWebhookEndpoints() {
      const { data } = await call(
        { operation: 'webhooks.listEndpoints', method: 'GET', path: paths.webhookEndpointList() },
        wireEndpointList,
      );
      return data.data.map((e) => ({ id: e.endpoint_id, url: e.url, events: e.events ?? [] }));
    },

    async createWebhookEndpoint(url, events) {
      const { data } = await call(
        { operation: 'webhooks.createEndpoint', method: 'POST', path: paths.webhookEndpointAdd(), body: { url, events } },
        wireEndpointAdded,
      );
      return { id: data.data.endpoint_id, url: data.data.url, secret: data.data.secret ?? null };
    },
  };
}
