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
 *
 * Credit budgets: the reservation takes a budget slot per render and none
 * past a cap (renders then wait in `enriched`); a submission HeyGen refused
 * outright (a 4xx other than 429, so nothing was billed) gives its slot back
 * once the render has failed. See `credit-budgets.ts`.
 */
import { isProviderError } from '../core/errors.js';
import { isIn, type RenderIn } from '../core/render.js';
import { submissionKey } from '../core/render-key.js';
import { sharingOption } from '../core/share-link.js';
import { heygenVariablesBody } from '../core/variables.js';
import { matchesCallback } from '../heygen/types.js';
import { claimRenders } from '../store/claim-renders.js';
import { countInFlight } from '../store/count-in-flight.js';
import { submittedBefore } from '../store/find-renders.js';
import { releaseCreditSlot } from '../store/release-credit-slot.js';
import { leaseMs, type EngineContext } from './context.js';
import type { TickResult } from './loop.js';
import { claimFairly } from './fair-share.js';
import { accept, loadClaimed, reserve } from './lifecycle.js';
import { handleStepFailure } from './step-failure.js';

type Submitting = RenderIn<'submitting'>;

/** Clock skew allowed between us and HeyGen when looking back for a v2 render. */
const V2_LOOKBACK_SKEW_MS = 5 * 60_000;
/** How long the window stays shut after a HeyGen 429 that named no Retry-After. */
const HOLD_WITHOUT_RETRY_AFTER_MS = 1_000;

export async function submitTick(ctx: EngineContext): Promise<TickResult> {
  const now = ctx.clock.now();
  const allowance = await ctx.pauses.allowance('heygen', now, ctx.config.worker.batchSize);
  await ctx.creditBudgets.watch(ctx, now);
  if (allowance === 0) return 'idle';
  const budget = ctx.creditBudgets.reservation(ctx, now);

  // Unresolved submissions first: they already hold a place in the window.
  const resumingRows = await claimRenders(ctx.store, {
    states: ['submitting'],
    workerId: ctx.workerId,
    now,
    leaseMs: leaseMs(ctx),
    limit: allowance,
  });
  const resuming = (await loadClaimed(ctx, resumingRows)).filter((r) => isIn(r, 'submitting'));
  const started = await claimFairly(ctx, ['enriched'], now, allowance - resumingRows.length, (limit, campaignId) =>
    reserve(ctx, {
      workerId: ctx.workerId,
      now,
      leaseMs: leaseMs(ctx),
      windowSize: ctx.window.size,
      limit: Math.min(limit, ctx.window.free(0, now)),
      budget,
      ...(campaignId === undefined ? {} : { campaignId }),
    }),
  );
  if (started.length > 0) await ctx.creditBudgets.watch(ctx, now, true);
  if (resuming.length === 0 && started.length === 0) return 'idle';
  ctx.pauses.spendProbe('heygen', now);
  await Promise.all([...resuming.map((render) => submitOne(ctx, render, true)), ...started.map((render) => submitOne(ctx, render, false))]);
  return 'busy';
}

async function submitOne(ctx: EngineContext, render: Submitting, resumed: boolean): Promise<void> {
  const { content } = render;
  const { heygen } = content.plan;
  const key = submissionKey(content.key, render.submission);
  try {
    let videoId: string | null = null;
    let how = 'created';
    if (ctx.heygen.api === 'v2' && (resumed || render.attempts > 0 || (await submittedBefore(ctx.store, render.id)))) {
      videoId = await findInterruptedV2Render(ctx, render, key);
      if (videoId) how = 'found after an interrupted submission';
    }
    if (!videoId) {
      const created = await ctx.heygen.createFromTemplate({
        templateId: content.templateId,
        title: content.title,
        variables: heygenVariablesBody(content.variables),
        callbackId: key,
        idempotencyKey: key,
        ...(heygen.caption === undefined ? {} : { caption: heygen.caption }),
        ...(heygen.folderId === undefined ? {} : { folderId: heygen.folderId }),
        ...sharingOption(content.plan.link, ctx.publicUrl !== undefined, heygen.enableSharing),
        ...(heygen.test === undefined ? {} : { test: heygen.test }),
      });
      videoId = created.videoId;
      if (created.replayed) how = 'replayed (HeyGen returned the original render)';
    }
    ctx.window.accepted();
    await ctx.pauses.resume('heygen', ctx.clock.now());
    await accept(ctx, render, videoId, how);
  } catch (err) {
    if (isProviderError(err) && err.provider === 'heygen' && err.status === 429) {
      const now = ctx.clock.now();
      ctx.window.rateLimited(await countInFlight(ctx.store), err.retryAfterMs ?? HOLD_WITHOUT_RETRY_AFTER_MS, now);
    }
    await handleStepFailure(ctx, [render], err, 'submit');
    if (refusedByHeyGen(err) && (await releaseCreditSlot(ctx.store, render.id, render.submission))) {
      ctx.log.info({ renderId: render.id }, 'HeyGen refused the render: its budget slot is given back');
      await ctx.creditBudgets.watch(ctx, ctx.clock.now(), true);
    }
  }
}

/** HeyGen answered the create and refused it (nothing billed): a 4xx other than 429. */
function refusedByHeyGen(err: unknown): boolean {
  return isProviderError(err) && err.provider === 'heygen' && err.operation === 'templates.render' && err.status !== undefined && err.status >= 400 && err.status < 500 && err.status !== 429 && !err.maybeApplied;
}

/**
 * The video a v2 create with this callback id produced, if HeyGen has one.
 * A video is adopted only on HeyGen's own word: a signed callback for this
 * submission only suggests a video, which counts once HeyGen's status API
 * reports our callback id for it; otherwise HeyGen's webhook history and
 * video list are read (callback id or the title marker, as HeyGen shows
 * them). HeyGen cannot have this render from before the row existed, so
 * look back to then.
 */
async function findInterruptedV2Render(ctx: EngineContext, render: Submitting, key: string): Promise<string | null> {
  const suggested = render.suggestedVideoId;
  if (suggested !== null) {
    const video = await ctx.heygen.getVideo(suggested);
    if (video.status !== 'not_found' && matchesCallback(key, { callbackId: video.callbackId, title: video.title })) return suggested;
    ctx.log.warn({ renderId: render.id, videoId: suggested }, 'a stored callback named a video HeyGen does not confirm for this render; ignored');
  }
  return ctx.heygen.findVideoByCallbackId(key, { since: render.createdAt - V2_LOOKBACK_SKEW_MS });
}
