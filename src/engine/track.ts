/**
 * Tracking: `rendering` renders are looked up at HeyGen when they are due:
 * when a callback hinted that something happened (it sets `run_at` to now),
 * when the callback is overdue (`callbackGrace` after submission), and then
 * every `pollEvery`. Statuses are read 100 at a time; only completed videos
 * are fetched one by one, for their links. Past `maxRenderAge` a render
 * fails with "render timed out".
 */
import { randomBytes } from 'node:crypto';
import { decideFromStatus, type HeygenStatus } from '../core/heygen-status.js';
import { writesSharePage } from '../core/share-link.js';
import { isProviderError } from '../core/errors.js';
import { applyRenderChange } from '../store/apply-render-change.js';
import { claimRenders } from '../store/claim-renders.js';
import type { RenderRow } from '../store/schema.js';
import { videoUrlValidUntil, type HeyGenVideo } from '../heygen/types.js';
import { leaseMs, type EngineContext } from './context.js';
import { completedWrite, failedWrite, processingWrite } from './crm-writes.js';
import type { TickResult } from './loop.js';

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

  let statuses: Map<string, { status: HeygenStatus; failureCode?: string; failureMessage?: string }>;
  try {
    statuses = await ctx.heygen.getStatuses(rows.map((r) => r.video_id as string));
  } catch (err) {
    await Promise.all(rows.map((row) => pollLater(ctx, row, `status check failed: ${describe(err)}`)));
    if (isProviderError(err) && err.failureClass === 'blocking') await ctx.pauses.pause('heygen', err.code, err.message, ctx.clock.now());
    return 'busy';
  }
  await Promise.all(rows.map((row) => settle(ctx, row, statuses.get(row.video_id as string) ?? { status: 'not_found' })));
  return 'busy';
}

async function settle(ctx: EngineContext, row: RenderRow, fact: { status: HeygenStatus; failureCode?: string; failureMessage?: string }): Promise<void> {
  const now = ctx.clock.now();
  const ageMs = now - (row.submitted_at ?? row.created_at);
  const decision = decideFromStatus(row.state, fact, { ageMs, maxRenderAgeMs: ctx.config.heygen.maxRenderAge });
  switch (decision.kind) {
    case 'complete': {
      let video: HeyGenVideo;
      try {
        video = await ctx.heygen.getVideo(row.video_id as string);
      } catch (err) {
        await pollLater(ctx, row, `could not fetch the finished video: ${describe(err)}`, 1_000);
        return;
      }
      await complete(ctx, row, video);
      return;
    }
    case 'fail':
      if (decision.pausesQueue) await ctx.pauses.pause('heygen', decision.code, decision.reason, now);
      await fail(ctx, row, decision.code, decision.reason);
      return;
    case 'lost':
      if (ageMs < NOT_FOUND_GRACE_MS) await pollLater(ctx, row, 'HeyGen does not list the video yet');
      else await fail(ctx, row, 'video_not_found', `HeyGen has no video ${row.video_id}`);
      return;
    case 'processing':
    case 'wait': {
      const processing = fact.status === 'processing';
      const writeProcessing = processing && row.crm_status === 'PENDING';
      await applyRenderChange(
        ctx.store,
        {
          renderId: row.id,
          from: 'rendering',
          set: { heygen_status: fact.status, run_at: now + ctx.config.heygen.pollEvery },
          note: `HeyGen says ${fact.status}`,
          ...(writeProcessing ? { crm: processingWrite(ctx, row) } : {}),
        },
        now,
      );
      if (writeProcessing) ctx.wake('write');
      return;
    }
    case 'ignore':
      return;
  }
}

async function complete(ctx: EngineContext, row: RenderRow, fetched: HeyGenVideo): Promise<void> {
  const now = ctx.clock.now();
  const video = await withSharePage(ctx, fetched);
  const token = row.link_token ?? randomBytes(24).toString('base64url');
  const link = linkFor(ctx, video, token);
  if (link === undefined) {
    await pollLater(ctx, row, 'HeyGen gave no share page yet (heygen.link: share, no PUBLIC_URL for a stable link)');
    return;
  }
  ctx.metrics.renderTransitions.inc({ campaign: row.campaign_id, to: 'completed' });
  await applyRenderChange(
    ctx.store,
    {
      renderId: row.id,
      from: 'rendering',
      to: 'completed',
      set: {
        heygen_status: 'completed',
        video_url: video.videoUrl ?? null,
        video_url_expires_at: video.videoUrl ? videoUrlValidUntil(video.videoUrl, now) : null,
        share_url: video.shareUrl ?? null,
        link_token: token,
        finished_at: now,
        error_message: null,
      },
      note: `completed: ${link}`,
      crm: completedWrite(ctx, row, row.video_id as string, link),
    },
    now,
  );
  ctx.wake('write');
  ctx.wake('submit');
}

/**
 * What goes into `heygen_video_url` (SPEC: stable link by default). With
 * `link: share` the expiring file URL is never written: without a share page
 * the stable link stands in, and without a PUBLIC_URL either, undefined (the
 * caller waits and asks again).
 */
export function linkFor(ctx: Pick<EngineContext, 'config' | 'publicUrl'>, video: HeyGenVideo, token: string): string | undefined {
  const mode = ctx.config.heygen.link;
  const stable = ctx.publicUrl ? `${ctx.publicUrl}/v/${token}` : undefined;
  if (mode === 'stable' && stable) return stable;
  if (mode !== 'raw' && video.shareUrl) return video.shareUrl;
  if (mode === 'share') return stable;
  return video.videoUrl ?? video.shareUrl ?? '';
}

/** v2's status read has no share URL: ask the share endpoint when the share page may be written. Failures fall back (see `linkFor`). */
async function withSharePage(ctx: EngineContext, video: HeyGenVideo): Promise<HeyGenVideo> {
  if (video.shareUrl || !ctx.heygen.sharePage || !writesSharePage(ctx.config.heygen.link, ctx.publicUrl !== undefined)) return video;
  try {
    const shareUrl = await ctx.heygen.sharePage(video.id);
    return shareUrl ? { ...video, shareUrl } : video;
  } catch (err) {
    ctx.log.warn({ videoId: video.id, err: describe(err) }, 'HeyGen gave no share page; falling back');
    return video;
  }
}

async function fail(ctx: EngineContext, row: RenderRow, code: string, reason: string): Promise<void> {
  const now = ctx.clock.now();
  ctx.metrics.renderTransitions.inc({ campaign: row.campaign_id, to: 'failed' });
  await applyRenderChange(
    ctx.store,
    {
      renderId: row.id,
      from: 'rendering',
      to: 'failed',
      set: { heygen_status: 'failed', error_code: code, error_message: reason, finished_at: now },
      note: `failed: ${code}: ${reason}`,
      crm: failedWrite(ctx, row, code, reason),
    },
    now,
  );
  ctx.wake('write');
  ctx.wake('submit');
}

async function pollLater(ctx: EngineContext, row: RenderRow, note: string, delayMs?: number): Promise<void> {
  const now = ctx.clock.now();
  ctx.metrics.retries.inc({ stage: 'track' });
  await applyRenderChange(
    ctx.store,
    { renderId: row.id, from: 'rendering', set: { run_at: now + (delayMs ?? ctx.config.heygen.pollEvery) }, note },
    now,
  );
}

function describe(err: unknown): string {
  if (isProviderError(err)) return err.describe();
  return err instanceof Error ? err.message : String(err);
}
