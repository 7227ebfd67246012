/**
 * Webhook events a finished render produces, and the history served by
 * `GET /v3/webhooks/events`. Links in an event are signed when the event is
 * made; like every HeyGen link they expire.
 */
import type { UrlSigner } from './signed-urls.js';
import { pageNewestFirst, type Page, type VideoRecord } from './video-store.js';
import { sharePageUrl } from './video-views.js';

export interface WebhookEvent {
  event_id: string;
  event_type: string;
  event_data: Record<string, unknown>;
  /** Unix seconds. */
  created_at: number;
}

export interface EventContext {
  eventId: string;
  nowMs: number;
  urls: UrlSigner;
  baseUrl: string;
}

export function renderEvent(video: VideoRecord, ctx: EventContext): WebhookEvent {
  const created_at = Math.floor(ctx.nowMs / 1000);
  if (video.status === 'failed') {
    return {
      event_id: ctx.eventId,
      event_type: 'avatar_video.fail',
      event_data: { video_id: video.id, msg: video.failure?.message ?? 'Render failed', callback_id: video.callbackId, folder_id: video.folderId },
      created_at,
    };
  }
  return {
    event_id: ctx.eventId,
    event_type: 'avatar_video.success',
    event_data: {
      video_id: video.id,
      url: ctx.urls.fileUrl(video.id, 'mp4'),
      callback_id: video.callbackId,
      gif_download_url: video.includeGif ? ctx.urls.fileUrl(video.id, 'gif') : null,
      video_share_page_url: video.enableSharing ? sharePageUrl(ctx.baseUrl, video.id) : null,
      folder_id: video.folderId,
    },
    created_at,
  };
}

/** The unsubscribed-looking event that arrives anyway (`callbackNoiseRate`). */
export function gifNoiseEvent(video: VideoRecord, ctx: EventContext): WebhookEvent {
  return {
    event_id: ctx.eventId,
    event_type: 'avatar_video_gif.success',
    event_data: { video_id: video.id, url: ctx.urls.fileUrl(video.id, 'gif'), callback_id: video.callbackId },
    created_at: Math.floor(ctx.nowMs / 1000),
  };
}

export class EventLog {
  private events: WebhookEvent[] = [];

  add(event: WebhookEvent): void {
    this.events.push(event);
  }

  page(limit: number, token: string | undefined): Page<WebhookEvent> | undefined {
    return pageNewestFirst(this.events, limit, token);
  }

  clear(): void {
    this.events = [];
  }
}
