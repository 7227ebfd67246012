/**
 * Submission: `enriched` renders are sent to HeyGen, at most as many as
 * the concurrency window has room for.
 *
 * Write-ahead: a render is marked `submitting` (and committed) before the
 * HeyGen call, so a crash at any point leaves a row that says "this may have
 * been paid for". Such a row is never blindly created again: on v3 the same
 * `Idempotency-Key` is replayed (HeyGen answers with the original video); on
 * v2, which has no idempotency, HeyGen is searched for the render's
 * callback id first, and only a render provably absent is created again.
 */
import { isProviderError } from '../core/errors.js';
import { submissionKey } from '../core/render-key.js';
import { heygenVariablesBody } from '../core/variables.js';
import { matchesCallback } from '../heygen/types.js';
import { applyRenderChange } from '../store/apply-render-change.js';
import { claimRenders } from '../store/claim-renders.js';
import { countInFlight } from '../store/count-in-flight.js';
import { submittedBefore, videoFromReceivedCallbacks } from '../store/find-renders.js';
import { reserveSubmissions } from '../store/reserve-submissions.js';
import type { RenderRow } from '../store/schema.js';
import { campaignById, leaseMs, type EngineContext } from './context.js';
import { pendingWrite } from './crm-writes.js';
import type { TickResult } from './loop.js';
import { claimFairly } from './fair-share.js';
import { handleStepFailure } from './step-failure.js';
import { sharingOption } from '../core/share-link.js';

/** Clock skew allowed between us and HeyGen when looking back for a v2 render. */
const V2_LOOKBACK_SKEW_MS = 5 * 60_000;
/** How long the window stays shut after a HeyGen 429 that named no Retry-After. */
const HOLD_WITHOUT_RETRY_AFTER_MS = 1_000;

export async function submitTick(ctx: EngineContext): Promise<TickResult> {
  const now = ctx.clock.now();
  const allowance = await ctx.pauses.allowance('heygen', now, ctx.config.worker.batchSize);
  if (allowance === 0) return 'idle';

  // Unresolved submissions first: they already hold a place in the window.
  const resuming = await claimRenders(ctx.store, {
    states: ['submitting'],
    workerId: ctx.workerId,
    now,
    leaseMs: leaseMs(ctx),
    limit: allowance,
  });
  const started = await claimFairly(ctx, ['enriched'], now, allowance - resuming.length, (limit, campaignId) =>
    reserveSubmissions(ctx.store, {
      workerId: ctx.workerId,
      now,
      leaseMs: leaseMs(ctx),
      windowSize: ctx.window.size,
      limit: Math.min(limit, ctx.window.free(0, now)),
      ...(campaignId === undefined ? {} : { campaignId }),
    }),
  );
  if (resuming.length === 0 && started.length === 0) return 'idle';
  for (const row of started) ctx.metrics.renderTransitions.inc({ campaign: row.campaign_id, to: 'submitting' });
  await Promise.all([...resuming.map((row) => submitOne(ctx, row, true)), ...started.map((row) => submitOne(ctx, row, false))]);
  return 'busy';
}

async function submitOne(ctx: EngineContext, row: RenderRow, resumed: boolean): Promise<void> {
  const campaign = campaignById(ctx.config, row.campaign_id);
  const key = submissionKey(row.render_key as string, row.submission);
  try {
    let videoId: string | null = null;
    let how = 'created';
    if (ctx.heygen.api === 'v2' && (resumed || row.attempts > 0 || (await submittedBefore(ctx.store, row.id)))) {
      videoId = await findInterruptedV2Render(ctx, row, key);
      if (videoId) how = 'found after an interrupted submission';
    }
    if (!videoId) {
      const created = await ctx.heygen.createFromTemplate({
        templateId: row.template_id,
        title: row.title ?? row.campaign_id,
        variables: heygenVariablesBody(JSON.parse(row.variables ?? '{}') as Record<string, string>),
        callbackId: key,
        idempotencyKey: key,
        ...(campaign?.heygen.caption === undefined ? {} : { caption: campaign.heygen.caption }),
        ...(campaign?.heygen.folderId === undefined ? {} : { folderId: campaign.heygen.folderId }),
        ...sharingOption(ctx.config.heygen.link, ctx.publicUrl !== undefined, campaign?.heygen.enableSharing),
        ...(campaign?.heygen.test === undefined ? {} : { test: campaign.heygen.test }),
      });
      videoId = created.videoId;
      if (created.replayed) how = 'replayed (HeyGen returned the original render)';
    }
    const now = ctx.clock.now();
    ctx.window.accepted();
    await ctx.pauses.resume('heygen', now);
    ctx.metrics.renderTransitions.inc({ campaign: row.campaign_id, to: 'rendering' });
    await applyRenderChange(
      ctx.store,
      {
        renderId: row.id,
        from: 'submitting',
        to: 'rendering',
        set: { video_id: videoId, heygen_status: 'queued', attempts: 0, run_at: now + ctx.config.heygen.callbackGrace, error_message: null },
        note: `HeyGen video ${videoId} ${how}`,
        crm: pendingWrite(ctx, row, videoId),
      },
      now,
    );
    ctx.wake('write');
  } catch (err) {
    if (isProviderError(err) && err.provider === 'heygen' && err.status === 429) {
      const now = ctx.clock.now();
      ctx.window.rateLimited(await countInFlight(ctx.store), err.retryAfterMs ?? HOLD_WITHOUT_RETRY_AFTER_MS, now);
    }
    await handleStepFailure(ctx, [row], err, 'submit');
  }
}

/**
 * The video a v2 create with this callback id produced, if HeyGen has one.
 * A video is adopted only on HeyGen's own word: a signed callback we stored
 * only suggests a video, which counts once HeyGen's status API reports our
 * callback id for it; otherwise HeyGen's webhook history and video list are
 * read (callback id or the title marker, as HeyGen shows them). HeyGen cannot
 * have this render from before the row existed, so look back to then.
 */
async function findInterruptedV2Render(ctx: EngineContext, row: RenderRow, key: string): Promise<string | null> {
  const suggested = await videoFromReceivedCallbacks(ctx.store, key);
  if (suggested !== null) {
    const video = await ctx.heygen.getVideo(suggested);
    if (video.status !== 'not_found' && matchesCallback(key, { callbackId: video.callbackId, title: video.title })) return suggested;
    ctx.log.warn({ renderId: row.id, videoId: suggested }, 'a stored callback named a video HeyGen does not confirm for this render; ignored');
  }
  return ctx.heygen.findVideoByCallbackId(key, { since: row.created_at - V2_LOOKBACK_SKEW_MS });
}
