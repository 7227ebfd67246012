/**
 * `GET /v/:token` from a browser: the video page. The video's origin comes
 * from the same cached HeyGen URL the redirect uses (one renewal per URL
 * lifetime, however many views), so the page's CSP allows media from exactly
 * there.
 */
import type { RenderedPage } from '../core/video-page.js';
import { renderVideoPage } from '../core/video-page.js';
import { campaignById, type EngineContext } from '../engine/context.js';
import { findLinkedRender, resolveRenderLink } from '../engine/stable-links.js';

export type VideoPageResult = ({ kind: 'page' } & RenderedPage) | { kind: 'not_found' } | { kind: 'unavailable'; reason: string };

export async function showVideoPage(
  ctx: Pick<EngineContext, 'store' | 'clock' | 'heygen' | 'config'>,
  token: string,
  stylesheet: string,
): Promise<VideoPageResult> {
  const render = await findLinkedRender(ctx.store, token);
  if (!render) return { kind: 'not_found' };
  const link = await resolveRenderLink(ctx, render);
  if (link.kind !== 'redirect') return link;
  const page = campaignById(ctx.config, render.campaign_id)?.page;
  const rendered = renderVideoPage(
    {
      token,
      title: render.title?.trim() || 'Your video',
      ...(page?.brandColor ? { brandColor: page.brandColor } : {}),
      logo: page?.logoUrl !== undefined,
      ...(page?.cta ? { cta: page.cta } : {}),
      stylesheet,
    },
    originOf(link.url),
  );
  return { kind: 'page', ...rendered };
}

function originOf(url: string): string | undefined {
  try {
    const origin = new URL(url).origin;
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
}
