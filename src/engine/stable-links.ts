/**
 * `GET /v/:token`: HeyGen's video URLs expire after 7 days, so the link in
 * the CRM is ours and redirects to a fresh HeyGen URL. The fresh URL is kept
 * in the database (shared by every instance) until shortly before it expires:
 * when the URL says, else HeyGen's documented 7 days after it was fetched.
 * A renewal costs one HeyGen call: clicks arriving together on one instance
 * share it, and instances on one database take a lease so only one renews.
 */
import { videoUrlValidUntil } from '../heygen/types.js';
import { cacheVideoUrl } from '../store/cache-video-url.js';
import { claimLinkRenewal, releaseLinkRenewal } from '../store/claim-link-renewal.js';
import { findRenderByLinkToken } from '../store/find-renders.js';
import type { RenderRow } from '../store/schema.js';
import type { EngineContext } from './context.js';

/** Renew a cached URL this long before it expires, at most; a short-lived URL is renewed in its last tenth. */
const REFRESH_MARGIN_MS = 60 * 60_000;

export type LinkResolution = { kind: 'redirect'; url: string } | { kind: 'not_found' } | { kind: 'unavailable'; reason: string };

type LinkContext = Pick<EngineContext, 'store' | 'clock' | 'heygen'>;

/**
 * Renewals made by this process, by render id: a click that read the row just
 * before a renewal was stored still finds it here, so clicks arriving together
 * share one HeyGen call. Kept while the renewed URL is fresh; bounded.
 */
class Renewal {
  /** Set once the renewal succeeded: hand its URL out until then. */
  freshUntil?: number;
  readonly result: Promise<LinkResolution>;

  constructor(run: (self: Renewal) => Promise<LinkResolution>) {
    this.result = run(this);
  }
}
const MAX_REMEMBERED = 10_000;
/** How long one instance may take to renew before another may try. */
const RENEWAL_LEASE_MS = 30_000;
const renewals = new WeakMap<LinkContext['store'], Map<number, Renewal>>();

/**
 * A completed render with a video (or one awaiting review: its reviewer watches
 * it through the same link), by its link token; undefined for anything else
 * (a malformed token included).
 */
export type LinkedRender = RenderRow & { video_id: string };

export async function findLinkedRender(store: LinkContext['store'], token: string): Promise<LinkedRender | undefined> {
  if (!/^[A-Za-z0-9_-]{16,64}$/.test(token)) return undefined;
  const render = await findRenderByLinkToken(store, token);
  if (!render || (render.state !== 'completed' && render.state !== 'awaiting_review') || !render.video_id) return undefined;
  return { ...render, video_id: render.video_id };
}

export async function resolveStableLink(ctx: LinkContext, token: string): Promise<LinkResolution> {
  const render = await findLinkedRender(ctx.store, token);
  return render ? resolveRenderLink(ctx, render) : { kind: 'not_found' };
}

/** A fresh HeyGen URL for a linked render: the cached one, or one renewal shared as described above. */
export async function resolveRenderLink(ctx: LinkContext, render: LinkedRender): Promise<LinkResolution> {
  const now = ctx.clock.now();
  const fetchedAt = render.finished_at ?? render.updated_at;
  if (render.video_url && now < freshUntil(render.video_url, render.video_url_expires_at, fetchedAt)) {
    return { kind: 'redirect', url: render.video_url };
  }
  const memo = memoOf(ctx.store);
  const known = memo.get(render.id);
  if (known && (known.freshUntil === undefined || now < known.freshUntil)) return known.result;
  const current = render.video_url ? { url: render.video_url, until: render.video_url_expires_at ?? videoUrlValidUntil(render.video_url, fetchedAt) } : null;
  return startRenewal(ctx, memo, render.id, render.video_id, current);
}

function memoOf(store: LinkContext['store']): Map<number, Renewal> {
  let memo = renewals.get(store);
  if (!memo) renewals.set(store, (memo = new Map()));
  return memo;
}

/**
 * Renews the URL, once per process (the memo) and once across instances (a
 * lease in the database): an instance that does not get the lease hands out
 * the current URL while it still works, and asks HeyGen itself only when it
 * has none that does.
 */
function startRenewal(
  ctx: LinkContext,
  memo: Map<number, Renewal>,
  renderId: number,
  videoId: string,
  current: { url: string; until: number } | null,
): Promise<LinkResolution> {
  if (memo.size >= MAX_REMEMBERED) memo.clear();
  const renewal = new Renewal(async (self) => {
    const forget = () => {
      if (memo.get(renderId) === self) memo.delete(renderId);
    };
    const leased = await claimLinkRenewal(ctx.store, renderId, ctx.clock.now(), RENEWAL_LEASE_MS);
    if (!leased && current && ctx.clock.now() < current.until) {
      forget(); // another instance is renewing: its URL will be in the database in a moment
      return { kind: 'redirect', url: current.url };
    }
    try {
      const { resolution, freshUntil: until } = await renew(ctx, renderId, videoId);
      if (until !== undefined) self.freshUntil = until;
      else forget(); // a failure is not remembered
      return resolution;
    } finally {
      if (leased) await releaseLinkRenewal(ctx.store, renderId).catch(() => undefined);
    }
  });
  memo.set(renderId, renewal);
  return renewal.result;
}

/** Until when a cached URL is handed out: its expiry, less a margin (at most an hour, at most a tenth of its life). */
function freshUntil(url: string, expiresAt: number | null, fetchedAt: number): number {
  const until = expiresAt ?? videoUrlValidUntil(url, fetchedAt);
  return until - Math.min(REFRESH_MARGIN_MS, Math.max(0, until - fetchedAt) / 10);
}

async function renew(ctx: LinkContext, renderId: number, videoId: string): Promise<{ resolution: LinkResolution; freshUntil?: number }> {
  try {
    const video = await ctx.heygen.getVideo(videoId);
    if (!video.videoUrl) return { resolution: { kind: 'unavailable', reason: 'HeyGen returned no URL for this video' } };
    const now = ctx.clock.now();
    const expiresAt = videoUrlValidUntil(video.videoUrl, now);
    await cacheVideoUrl(ctx.store, renderId, { url: video.videoUrl, expiresAt }, now);
    return { resolution: { kind: 'redirect', url: video.videoUrl }, freshUntil: freshUntil(video.videoUrl, expiresAt, now) };
  } catch {
    return { resolution: { kind: 'unavailable', reason: 'HeyGen could not be reached; try again shortly' } };
  }
}
