/**
 * Tracking: `rendering` renders are looked up at HeyGen when they are due:
 * when a callback hinted that something happened (it sets `run_at` to now),
 * when the callback is overdue (`callbackGrace` after submission), and then
 * every `pollEvery`. Statuses are read 100 at a time; only completed videos
 * are fetched one by one, for their links. Past `maxRenderAge` a render
 * fails with "render timed out". A finished video of a campaign with
 * `review: required` moves to `awaiting_review` instead of `completed`;
 * from then on it is never polled or timed out here.
 */
import { randomBytes } from 'node:crypto';
import { isIn, type RenderIn } from '../core/render.js';
import { writesSharePage, type LinkMode } from '../core/share-link.js';
import { decideFromStatus, type HeygenStatus } from '../core/heygen-status.js';
import { isProviderError } from '../core/errors.js';
import { claimRenders } from '../store/claim-renders.js';
import { videoUrlValidUntil, type HeyGenVideo } from '../heygen/types.js';
import { leaseMs, type EngineContext } from './context.js';
import { awaitReview, complete, fail as failRender, loadClaimed, reschedule } from './lifecycle.js';
import type { TickResult } from './loop.js';

type Rendering = RenderIn<'rendering'>;

const STATUS_BATCH = 100;
/** A video HeyGen does not know yet may be a moment away from its index. */
const NOT_FOUND_GRACE_MS = 10 * 60_000;

export async function trackTick(ctx: EngineContext): Promise<TickResult> {
  const now = ctx.clock.now();
  const rows = await claimRenders(ctx.store, {
    states: ['rendering'],
    workerId: ctx.workerId,
    now,
    leaseMs: leaseMs(ctx),
    limit: STATUS_BATCH,
  });
  if (rows.length === 0) return 'idle';
  const renders = (await loadClaimed(ctx, rows)).filter((r) => isIn(r, 'rendering'));
  if (renders.length === 0) return 'busy';

  let statuses: Map<string, { status: HeygenStatus; failureCode?: string; failureMessage?: string }>;
  try {
    statuses = await ctx.heygen.getStatuses(renders.map((r) => r.videoId));
  } catch (err) {
    await Promise.all(renders.map((render) => pollLater(ctx, render, `status check failed: ${describe(err)}`)));
    if (isProviderError(err) && err.failureClass === 'blocking') await ctx.pauses.pause('heygen', err.code, err.message, ctx.clock.now());
    return 'busy';
  }
  await Promise.all(renders.map((render) => settle(ctx, render, statuses.get(render.videoId) ?? { status: 'not_found' })));
  return 'busy';
}

async function settle(ctx: EngineContext, render: Rendering, fact: { status: HeygenStatus; failureCode?: string; failureMessage?: string }): Promise<void> {
  const now = ctx.clock.now();
  const ageMs = now - (render.submittedAt ?? render.createdAt);
  const decision = decideFromStatus(render.state, fact, { ageMs, maxRenderAgeMs: ctx.config.heygen.maxRenderAge });
  switch (decision.kind) {
    case 'complete': {
      let video: HeyGenVideo;
      try {
        video = await ctx.heygen.getVideo(render.videoId);
      } catch (err) {
        await pollLater(ctx, render, `could not fetch the finished video: ${describe(err)}`, 1_000);
        return;
      }
      await finish(ctx, render, video);
      return;
    }
    case 'fail':
      if (decision.pausesQueue) await ctx.pauses.pause('heygen', decision.code, decision.reason, now);
      await fail(ctx, render, decision.code, decision.reason);
      return;
    case 'lost':
      if (ageMs < NOT_FOUND_GRACE_MS) await pollLater(ctx, render, 'HeyGen does not list the video yet');
      else await fail(ctx, render, 'video_not_found', `HeyGen has no video ${render.videoId}`);
      return;
    case 'processing':
    case 'wait': {
      const processing = fact.status === 'processing';
      await reschedule(
        ctx,
        render,
        { heygenStatus: fact.status, runAt: now + ctx.config.heygen.pollEvery, writeProcessing: processing && render.crmStatus === 'PENDING' },
        `HeyGen says ${fact.status}`,
      );
      return;
    }
    case 'ignore':
      return;
  }
}

async function finish(ctx: EngineContext, render: Rendering, fetched: HeyGenVideo): Promise<void> {
  const mode = render.content.plan.link;
  const video = await withSharePage(ctx, fetched, mode);
  const token = render.linkToken ?? randomBytes(24).toString('base64url');
  const link = linkFor(ctx, video, token, mode);
  if (link === undefined) {
    await pollLater(ctx, render, 'HeyGen gave no share page yet (heygen.link: share, no PUBLIC_URL for a stable link)');
    return;
  }
  const urlExpiresAt = video.videoUrl ? videoUrlValidUntil(video.videoUrl, ctx.clock.now()) : undefined;
  const thumbnail = ctx.publicUrl ? `${ctx.publicUrl}/v/${token}/thumbnail.gif` : undefined;
  const done = { video: { videoUrl: video.videoUrl, shareUrl: video.shareUrl, urlExpiresAt }, token, link, ...(thumbnail ? { thumbnail } : {}) };
  // `review: required` (frozen in the plan): the video waits for an operator instead of going to the CRM.
  if (render.content.plan.review === 'required') await awaitReview(ctx, render, done);
  else await complete(ctx, render, done);
}

/**
 * What goes into `heygen_video_url` (SPEC: stable link by default); `mode`
 * is the render's frozen link mode. With `link: share` the expiring file URL
 * is never written: without a share page the stable link stands in, and
 * without a PUBLIC_URL either, undefined (the caller waits and asks again).
 */
export function linkFor(ctx: Pick<EngineContext, 'config' | 'publicUrl'>, video: HeyGenVideo, token: string, mode: LinkMode = ctx.config.heygen.link): string | undefined {
  const stable = ctx.publicUrl ? `${ctx.publicUrl}/v/${token}` : undefined;
  if (mode === 'stable' && stable) return stable;
  if (mode !== 'raw' && video.shareUrl) return video.shareUrl;
  if (mode === 'share') return stable;
  return video.videoUrl ?? video.shareUrl ?? '';
}

/** v2's status read has no share URL: ask the share endpoint when the share page may be written. Failures fall back (see `linkFor`). */
async function withSharePage(ctx: EngineContext, video: HeyGenVideo, mode: LinkMode): Promise<HeyGenVideo> {
  if (video.shareUrl || !ctx.heygen.sharePage || !writesSharePage(mode, ctx.publicUrl !== undefined)) return video;
  try {
    const shareUrl = await ctx.heygen.sharePage(video.id);
    return shareUrl ? { ...video, shareUrl } : video;
  } catch (err) {
    ctx.log.warn({ videoId: video.id, err: describe(err) }, 'HeyGen gave no share page; falling back');
    return video;
  }
}

async function fail(ctx: EngineContext, render: Rendering, code: string, reason: string): Promise<void> {
  await failRender(ctx, render, { code, reason, note: `failed: ${code}: ${reason}`, heygenFailed: true });
}

async function pollLater(ctx: EngineContext, render: Rendering, note: string, delayMs?: number): Promise<void> {
  ctx.metrics.retries.inc({ stage: 'track' });
  await reschedule(ctx, render, { runAt: ctx.clock.now() + (delayMs ?? ctx.config.heygen.pollEvery) }, note);
}

function describe(err: unknown): string {
  if (isProviderError(err)) return err.describe();
  return err instanceof Error ? err.message : String(err);
}
