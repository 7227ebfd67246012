/**
 * What happens to renders when a step of theirs failed: the pure decision
 * (`decideAfterFailure`) applied to each row. Retries keep the state and
 * move `run_at`; failures write FAILED to the CRM; pauses stop the
 * provider's queue and put the row back without spending an attempt.
 */
import { decideAfterFailure } from '../core/retry-decision.js';
import { applyRenderChange } from '../store/apply-render-change.js';
import type { RenderRow } from '../store/schema.js';
import type { EngineContext } from './context.js';
import { failedWrite } from './crm-writes.js';

const PAUSED_RECHECK_MS = 5_000;

export async function handleStepFailure(ctx: EngineContext, rows: RenderRow[], error: unknown, stage: string): Promise<void> {
  const now = ctx.clock.now();
  for (const row of rows) {
    const decision = decideAfterFailure({
      error,
      attempt: row.attempts + 1,
      maxAttempts: ctx.config.worker.maxAttempts,
      baseMs: ctx.config.worker.retryBase,
      capMs: ctx.config.worker.retryCap,
      random: ctx.random,
      templateId: row.template_id,
    });
    switch (decision.kind) {
      case 'retry':
        ctx.metrics.retries.inc({ stage });
        ctx.log.debug({ renderId: row.id, stage, attempt: row.attempts + 1, delayMs: Math.round(decision.delayMs) }, `retry scheduled: ${decision.reason}`);
        await applyRenderChange(
          ctx.store,
          {
            renderId: row.id,
            from: row.state,
            // Whole milliseconds: run_at is a bigint column on PostgreSQL, and the jitter is fractional.
            set: { attempts: row.attempts + 1, run_at: now + Math.ceil(decision.delayMs), error_message: decision.reason },
            note: `${stage} failed, retry in ${Math.round(decision.delayMs)} ms: ${decision.reason}`,
          },
          now,
        );
        break;
      case 'pause':
        await ctx.pauses.pause(decision.scope, decision.code, decision.reason, now);
        await applyRenderChange(
          ctx.store,
          {
            renderId: row.id,
            from: row.state,
            set: { run_at: now + Math.ceil(decision.resumeAfterMs ?? PAUSED_RECHECK_MS), error_message: decision.reason },
            note: `${stage} paused: ${decision.reason}`,
          },
          now,
        );
        break;
      case 'fail':
        ctx.metrics.renderTransitions.inc({ campaign: row.campaign_id, to: 'failed' });
        ctx.log.warn({ renderId: row.id, stage, code: decision.code }, `render failed: ${decision.reason}`);
        await applyRenderChange(
          ctx.store,
          {
            renderId: row.id,
            from: row.state,
            to: 'failed',
            set: { error_code: decision.code, error_message: decision.reason, finished_at: now },
            note: `${stage} failed: ${decision.reason}`,
            crm: failedWrite(ctx, row, decision.code, decision.reason),
          },
          now,
        );
        break;
    }
  }
}
