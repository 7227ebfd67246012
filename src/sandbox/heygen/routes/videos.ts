/**
 * Status and listing: v3 `GET /v3/videos/{id}`, the batch
 * `GET /v3/videos/statuses` (no links), the newest-first list `GET /v3/videos`,
 * and legacy `GET /v1/video_status.get` and `GET /v1/video.list`.
 */
import type { FastifyInstance } from 'fastify';
import { invalidParameter, notFound } from '../api-error.js';
import type { SandboxState } from '../state.js';
import type { VideoRecord } from '../video-store.js';
import { v1ListItem, v1StatusData, v3StatusItem, v3VideoObject } from '../video-views.js';
import { badToken, readLimit, type PageQuery } from './query.js';

const MAX_STATUS_IDS = 100;

function findVideo(state: SandboxState, id: string | undefined): VideoRecord {
  if (id === undefined || id === '') throw invalidParameter('video_id is required');
  const video = state.videos.get(id);
  if (!video) throw notFound('video_not_found', `video ${id} not found`);
  return video;
}

/** `video_ids=a,b` or repeated `video_ids=a&video_ids=b`. */
function readVideoIds(raw: string | string[] | undefined): string[] {
  const parts = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).flatMap((p) => p.split(','));
  const ids = parts.map((p) => p.trim()).filter((p) => p !== '');
  if (ids.length === 0) throw invalidParameter('video_ids is required');
  if (ids.length > MAX_STATUS_IDS) throw invalidParameter(`video_ids holds ${ids.length} ids; at most ${MAX_STATUS_IDS} are allowed`);
  return ids;
}

export function registerVideoRoutes(app: FastifyInstance, state: SandboxState): void {
  app.get<{ Querystring: { video_ids?: string | string[] } }>('/v3/videos/statuses', async (request) => {
    state.stats.bump('statusCalls');
    const ids = readVideoIds(request.query.video_ids);
    return { data: ids.map((id) => v3StatusItem(id, state.videos.get(id))), has_more: false, next_token: null };
  });

  app.get<{ Params: { videoId: string } }>('/v3/videos/:videoId', async (request) => {
    state.stats.bump('statusCalls');
    return { data: v3VideoObject(findVideo(state, request.params.videoId), state.urls, state.baseUrl) };
  });

  app.get<{ Querystring: PageQuery }>('/v3/videos', async (request) => {
    const page = state.videos.page(readLimit(request.query.limit, 10, 100), request.query.token) ?? badToken();
    return {
      data: page.items.map((v) => v3VideoObject(v, state.urls, state.baseUrl)),
      has_more: page.nextToken !== null,
      next_token: page.nextToken,
    };
  });

  app.get<{ Querystring: { video_id?: string } }>('/v1/video_status.get', async (request) => {
    state.stats.bump('statusCalls');
    const video = findVideo(state, request.query.video_id);
    return { code: 100, data: v1StatusData(video, state.urls, state.baseUrl), message: 'Success' };
  });

  app.get<{ Querystring: PageQuery }>('/v1/video.list', async (request) => {
    const page = state.videos.page(readLimit(request.query.limit, 100, 100), request.query.token) ?? badToken();
    return { code: 100, data: { videos: page.items.map(v1ListItem), token: page.nextToken }, message: 'Success' };
  });
}
