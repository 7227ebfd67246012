/**
 * What happens to renders when a step of theirs failed: the pure decision
 * (`decideAfterFailure`) applied to each render. Retries keep the state and
 * move `run_at`; failures write FAILED to the CRM; pauses stop the
 * provider's queue and put the render back without spending an attempt.
 */
import type { Render } from '../core/render.js';
import { decideAfterFailure, type FailureDecision } from '../core/retry-decision.js';
import type { EngineContext } from './context.js';
import { fail, reschedule } from './lifecycle.js';

const PAUSED_RECHECK_MS = 5_000;

export async function handleStepFailure(ctx: EngineContext, renders: Render[], error: unknown, stage: string): Promise<void> {
  const now = ctx.clock.now();
  const decided = renders.map((render) => ({
    render,
    decision: decideAfterFailure({
      error,
      attempt: render.attempts + 1,
      maxAttempts: ctx.config.worker.maxAttempts,
      baseMs: ctx.config.worker.retryBase,
      capMs: ctx.config.worker.retryCap,
      random: ctx.random,
      templateId: render.content?.templateId ?? render.templateId,
    }),
  }));
  for (const { decision } of decided) if (decision.kind === 'pause') await ctx.pauses.pause(decision.scope, decision.code, decision.reason, now);
  // Side by side, so the renders' transitions share one commit (the lifecycle's group commit).
  await Promise.all(decided.map(({ render, decision }) => apply(ctx, render, decision, stage, now)));
}

async function apply(ctx: EngineContext, render: Render, decision: FailureDecision, stage: string, now: number): Promise<void> {
  switch (decision.kind) {
    case 'retry':
      ctx.metrics.retries.inc({ stage });
      ctx.log.debug({ renderId: render.id, stage, attempt: render.attempts + 1, delayMs: Math.round(decision.delayMs) }, `retry scheduled: ${decision.reason}`);
      await reschedule(
        ctx,
        render,
        // Whole milliseconds: run_at is a bigint column on PostgreSQL, and the jitter is fractional.
        { attempts: render.attempts + 1, runAt: now + Math.ceil(decision.delayMs), errorMessage: decision.reason },
        `${stage} failed, retry in ${Math.round(decision.delayMs)} ms: ${decision.reason}`,
      );
      break;
    case 'pause':
      await reschedule(
        ctx,
        render,
        { runAt: now + Math.ceil(decision.resumeAfterMs ?? PAUSED_RECHECK_MS), errorMessage: decision.reason },
        `${stage} paused: ${decision.reason}`,
      );
      break;
    case 'fail':
      ctx.log.warn({ renderId: render.id, stage, code: decision.code }, `render failed: ${decision.reason}`);
      await fail(ctx, render, { code: decision.code, reason: decision.reason, note: `${stage} failed: ${decision.reason}` });
      break;
  }
}
