/** Every HeyGen API path and header name Reelay uses, in one place. */

const seg = encodeURIComponent;

export const heygenV3Paths = {
  renderTemplate: (templateId: string) => `/v3/templates/${seg(templateId)}`,
  template: (templateId: string) => `/v3/templates/${seg(templateId)}`,
  video: (videoId: string) => `/v3/videos/${seg(videoId)}`,
  videos: () => '/v3/videos',
  videoStatuses: () => '/v3/videos/statuses',
  webhookEndpoints: () => '/v3/webhooks/endpoints',
  webhookEvents: () => '/v3/webhooks/events',
} as const;

export const heygenV2Paths = {
  renderTemplate: (templateId: string) => `/v2/template/${seg(templateId)}/generate`,
  template: (templateId: string) => `/v2/template/${seg(templateId)}`,
  videoStatus: () => '/v1/video_status.get',
  videoList: () => '/v1/video.list',
  videoShare: () => '/v1/video/share',
  videoDelete: () => '/v1/video.delete',
  webhookEndpointAdd: () => '/v1/webhook/endpoint.add',
  webhookEndpointList: () => '/v1/webhook/endpoint.list',
} as const;

export const HEYGEN_API_KEY_HEADER = 'x-api-key';
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';

/**
 * HeyGen documents that replays return the original result but not how it
 * marks them; these are the names in common use (Stripe's first).
 */
export const REPLAY_HEADERS = ['idempotent-replayed', 'idempotency-replayed', 'x-idempotent-replayed'] as const;
