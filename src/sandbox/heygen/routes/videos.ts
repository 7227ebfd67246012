/**
 * Status and listing: v3 `GET /v3/videos/{id}`, the batch
 * `GET /v3/videos/statuses` (no links), the newest-first list `GET /v3/videos`,
 * legacy `GET /v1/video_status.get` and `GET /v1/video.list`; deletion by
 * v3 `DELETE /v3/videos/{id}` and legacy `DELETE /v1/video.delete?video_id=`
 * (the video then answers 404 everywhere; the ledger keeps what was billed).
 */
import type { FastifyInstance } from 'fastify';
import { invalidParameter, notFound } from '../api-error.js';
import type { SandboxState } from '../state.js';
import type { VideoRecord } from '../video-store.js';
import { sharePageUrl, v1ListItem, v1StatusData, v3StatusItem, v3VideoObject } from '../video-views.js';
import { badToken, readLimit, type PageQuery } from './query.js';

const MAX_STATUS_IDS = 100;

function findVideo(state: SandboxState, id: string | undefined): VideoRecord {
  if (id === undefined || id === '') throw invalidParameter('video_id is required');
  const video = state.videos.get(id);
  if (!video) throw notFound('video_not_found', `video ${id} not found`);
  return video;
}

/** `video_ids=a,b` or repeated `video_ids=a&video_ids=b`. */
function readIds(raw: string | string[] | undefined): string[] {
  const parts = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).flatMap((p) => p.split(','));
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

/** The statuses endpoint takes `video_ids` and `batch_ids` only (HeyGen's OpenAPI); anything else, `token` included, is refused. */
const STATUS_PARAMS = new Set(['video_ids', 'batch_ids']);

function readStatusQuery(query: Record<string, string | string[] | undefined>): { videoIds: string[]; batchIds: string[] } {
  const unknown = Object.keys(query).filter((k) => !STATUS_PARAMS.has(k));
  if (unknown.length > 0) throw invalidParameter(`unknown query parameter ${unknown.join(', ')}: this endpoint takes video_ids and batch_ids`);
  const videoIds = readIds(query.video_ids);
  const batchIds = readIds(query.batch_ids);
  if (videoIds.length === 0 && batchIds.length === 0) throw invalidParameter('video_ids or batch_ids is required');
  const total = videoIds.length + batchIds.length;
  if (total > MAX_STATUS_IDS) throw invalidParameter(`video_ids and batch_ids hold ${total} ids; at most ${MAX_STATUS_IDS} are allowed`);
  return { videoIds, batchIds };
}

export function registerVideoRoutes(app: FastifyInstance, state: SandboxState): void {
  app.get<{ Querystring: Record<string, string | string[] | undefined> }>('/v3/videos/statuses', async (request) => {
    state.stats.bump('statusCalls');
    const { videoIds, batchIds } = readStatusQuery(request.query);
    // The sandbox has no video batches: every batch id is unknown.
    const batches = batchIds.map((id) => ({ video_id: null, batch_id: id, status: 'not_found', error: null }));
    return { data: [...videoIds.map((id) => v3StatusItem(id, state.videos.get(id))), ...batches], has_more: false, next_token: null };
  });

  app.get<{ Params: { videoId: string } }>('/v3/videos/:videoId', async (request) => {
    state.stats.bump('statusCalls');
    return { data: v3VideoObject(findVideo(state, request.params.videoId), state.urls, state.baseUrl) };
  });

  app.delete<{ Params: { videoId: string } }>('/v3/videos/:videoId', async (request) => {
    const video = findVideo(state, request.params.videoId);
    state.videos.delete(video.id);
    return { data: { id: video.id, deleted: true } };
  });

  app.delete<{ Querystring: { video_id?: string } }>('/v1/video.delete', async (request) => {
    const video = findVideo(state, request.query.video_id);
    state.videos.delete(video.id);
    return { code: 100, data: { video_id: video.id }, message: 'Success' };
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

  /** Legacy "Retrieve Sharable Video URL": makes the share page public and answers it (answer shape UNCONFIRMED, see docs/api-notes/heygen.md). */
  app.post<{ Body: { video_id?: unknown } | undefined }>('/v1/video/share', async (request) => {
    const raw = request.body?.video_id;
    const video = findVideo(state, typeof raw === 'string' ? raw : undefined);
    state.sharedVideos.add(video.id);
    return { code: 100, data: { share_url: sharePageUrl(state.baseUrl, video.id) }, msg: null, message: null };
  });

  app.get<{ Querystring: PageQuery }>('/v1/video.list', async (request) => {
    const page = state.videos.page(readLimit(request.query.limit, 100, 100), request.query.token) ?? badToken();
    return { code: 100, data: { videos: page.items.map(v1ListItem), token: page.nextToken }, message: 'Success' };
  });
}
