/** What happens to claimed outbox effects that were not sent: retried with backoff, paused behind a queue pause, or dropped. */
import { backoffDelay } from '../../core/backoff.js';
import { decideAfterFailure } from '../../core/retry-decision.js';
import { dropWrite, rescheduleWrite } from '../../store/settle-outbox.js';
import type { OutboxRow } from '../../store/schema.js';
import type { EngineContext } from '../context.js';

export async function handleWriteFailure(ctx: EngineContext, rows: OutboxRow[], err: unknown): Promise<void> {
  const now = ctx.clock.now();
  for (const row of rows) {
    const decision = decideAfterFailure({
      error: err,
      attempt: row.attempts + 1,
      maxAttempts: ctx.config.worker.maxAttempts,
      baseMs: ctx.config.worker.retryBase,
      capMs: ctx.config.worker.retryCap,
      random: ctx.random,
    });
    if (decision.kind === 'retry') {
      ctx.metrics.retries.inc({ stage: 'write' });
      await rescheduleWrite(ctx.store, row, { runAt: now + decision.delayMs, error: decision.reason, now, countAttempt: true });
    } else if (decision.kind === 'pause') {
      await ctx.pauses.pause(decision.scope, decision.code, decision.reason, now);
      await rescheduleWrite(ctx.store, row, { runAt: now + (decision.resumeAfterMs ?? 5_000), error: decision.reason, now, countAttempt: false });
    } else {
      ctx.log.error({ objectType: row.object_type, objectId: row.object_id, kind: row.kind, code: decision.code }, `CRM write dropped: ${decision.reason}`);
      await dropWrite(ctx.store, row);
    }
  }
}

export async function retryWrite(ctx: EngineContext, row: OutboxRow, reason: string): Promise<void> {
  const now = ctx.clock.now();
  if (row.attempts + 1 >= ctx.config.worker.maxAttempts) {
    ctx.log.error({ objectType: row.object_type, objectId: row.object_id, kind: row.kind }, `CRM write dropped after ${row.attempts + 1} attempts: ${reason}`);
    await dropWrite(ctx.store, row);
    return;
  }
  ctx.metrics.retries.inc({ stage: 'write' });
  const delay = backoffDelay({ attempt: row.attempts + 1, baseMs: ctx.config.worker.retryBase, capMs: ctx.config.worker.retryCap, random: ctx.random });
  await rescheduleWrite(ctx.store, row, { runAt: now + delay, error: reason, now, countAttempt: true });
}
