/**
 * `GET /v/:token`: the stable video link written to the CRM, resolved to a
 * fresh HeyGen URL (the engine keeps and renews it, see `engine/stable-links.ts`).
 */
import type { EngineContext } from '../engine/context.js';
import { resolveStableLink, type LinkResolution } from '../engine/stable-links.js';

export type { LinkResolution };

export function resolveLink(ctx: Pick<EngineContext, 'store' | 'clock' | 'heygen'>, token: string): Promise<LinkResolution> {
  return resolveStableLink(ctx, token);
}
