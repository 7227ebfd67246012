/**
 * How a render is shown by each endpoint. Status names differ by endpoint,
 * as they do at HeyGen:
 *
 * | internal   | v3 video object | v3 statuses batch | v1 status |
 * |------------|-----------------|-------------------|-----------|
 * | waiting    | pending         | queued            | waiting   |
 * | pending    | pending         | queued            | pending   |
 * | processing | processing      | processing        | processing|
 *
 * Links are signed afresh on every read and only exist once completed.
 */
import type { UrlSigner } from './signed-urls.js';
import type { VideoRecord, VideoStatus } from './video-store.js';

const toSeconds = (ms: number): number => Math.floor(ms / 1000);

export const sharePageUrl = (baseUrl: string, videoId: string): string => `${baseUrl}/_sandbox/share/${videoId}`;

export interface VideoLinks {
  video_url: string | null;
  captioned_video_url: string | null;
  thumbnail_url: string | null;
  gif_url: string | null;
  subtitle_url: string | null;
  video_page_url: string | null;
}

export function videoLinks(video: VideoRecord, urls: UrlSigner, baseUrl: string): VideoLinks {
  if (video.status !== 'completed') {
    return { video_url: null, captioned_video_url: null, thumbnail_url: null, gif_url: null, subtitle_url: null, video_page_url: null };
  }
  return {
    video_url: urls.fileUrl(video.id, 'mp4'),
    captioned_video_url: video.caption ? urls.fileUrl(video.id, 'captioned.mp4') : null,
    thumbnail_url: urls.fileUrl(video.id, 'jpg'),
    gif_url: urls.fileUrl(video.id, 'gif'),
    subtitle_url: urls.fileUrl(video.id, 'srt'),
    video_page_url: sharePageUrl(baseUrl, video.id),
  };
}

function v3Status(status: VideoStatus): Exclude<VideoStatus, 'waiting'> {
  return status === 'waiting' ? 'pending' : status;
}

export function v3VideoObject(video: VideoRecord, urls: UrlSigner, baseUrl: string): Record<string, unknown> {
  return {
    id: video.id,
    status: v3Status(video.status),
    title: video.title,
    ...videoLinks(video, urls, baseUrl),
    duration: video.durationS,
    created_at: toSeconds(video.createdAtMs),
    completed_at: video.completedAtMs === null ? null : toSeconds(video.completedAtMs),
    failure_code: video.failure?.code ?? null,
    failure_message: video.failure?.message ?? null,
    folder_id: video.folderId,
  };
}

export function v3StatusItem(videoId: string, video: VideoRecord | undefined): Record<string, unknown> {
  if (!video) return { video_id: videoId, status: 'not_found', error: null };
  const status = video.status === 'waiting' || video.status === 'pending' ? 'queued' : video.status;
  return { video_id: videoId, status, error: video.failure ? { code: video.failure.code, message: video.failure.message } : null };
}

export function v1StatusData(video: VideoRecord, urls: UrlSigner, baseUrl: string): Record<string, unknown> {
  const links = videoLinks(video, urls, baseUrl);
  return {
    id: video.id,
    status: video.status,
    video_url: links.video_url,
    video_url_caption: links.captioned_video_url,
    thumbnail_url: links.thumbnail_url,
    gif_url: links.gif_url,
    caption_url: links.subtitle_url,
    duration: video.durationS,
    callback_id: video.callbackId,
    created_at: toSeconds(video.createdAtMs),
    error: video.failure ? { code: video.failure.code, message: video.failure.message, detail: video.failure.message } : null,
  };
}

export function v1ListItem(video: VideoRecord): Record<string, unknown> {
  return {
    video_id: video.id,
    video_title: video.title,
    status: video.status,
    type: 'GENERATED',
    created_at: toSeconds(video.createdAtMs),
  };
}
