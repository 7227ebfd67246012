/**
 * `GET /v/:token`: HeyGen's video URLs expire after 7 days, so the link in
 * the CRM is ours and redirects to a fresh HeyGen URL, fetched again only
 * shortly before the cached one expires.
 */
import { findRenderByLinkToken } from '../store/find-renders.js';
import type { EngineContext } from './context.js';

/** Refresh a cached URL this long before it expires. */
const REFRESH_MARGIN_MS = 60 * 60_000;
/** A URL with no known expiry is reused for this long. */
const UNKNOWN_EXPIRY_REUSE_MS = 60 * 60_000;

export type LinkResolution = { kind: 'redirect'; url: string } | { kind: 'not_found' } | { kind: 'unavailable'; reason: string };

export async function resolveStableLink(ctx: Pick<EngineContext, 'store' | 'clock' | 'heygen'>, token: string): Promise<LinkResolution> {
  if (!/^[A-Za-z0-9_-]{16,64}$/.test(token)) return { kind: 'not_found' };
  const render = await findRenderByLinkToken(ctx.store.db, token);
  if (!render || render.state !== 'completed' || !render.video_id) return { kind: 'not_found' };
  const now = ctx.clock.now();
  const validUntil = render.video_url_expires_at ?? render.updated_at + UNKNOWN_EXPIRY_REUSE_MS;
  if (render.video_url && validUntil - REFRESH_MARGIN_MS > now) return { kind: 'redirect', url: render.video_url };
  try {
    const video = await ctx.heygen.getVideo(render.video_id);
    if (!video.videoUrl) return { kind: 'unavailable', reason: 'HeyGen returned no URL for this video' };
    await ctx.store.db
      .updateTable('renders')
      .set({ video_url: video.videoUrl, video_url_expires_at: video.urlExpiresAt ?? null, updated_at: now })
      .where('id', '=', render.id)
      .execute();
    return { kind: 'redirect', url: video.videoUrl };
  } catch {
    return { kind: 'unavailable', reason: 'HeyGen could not be reached; try again shortly' };
  }
}
