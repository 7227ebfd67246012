/**
 * The HeyGen client Reelay uses: one interface (`HeyGenClient`, in
 * `types.ts`) over the current v3 API and the legacy v2 one, picked by
 * `heygen.api` in the configuration.
 */
import { createV2Client } from './client-v2.js';
import { createV3Client } from './client-v3.js';
import type { HeyGenClient, HeyGenClientOptions } from './types.js';

export type {
  CreateFromTemplateRequest,
  CreatedVideo,
  CreatedWebhookEndpoint,
  HeyGenApi,
  HeyGenClient,
  HeyGenClientOptions,
  HeyGenVideo,
  TemplateInfo,
  TemplateVariable,
  VideoStatus,
  VideoStatusSummary,
  WebhookEndpoint,
} from './types.js';

export function createHeyGenClient(options: HeyGenClientOptions): HeyGenClient {
  return options.api === 'v3' ? createV3Client(options) : createV2Client(options);
}
