/**
 * Write-back: the outbox's coalesced CRM writes, sent as batch updates of up
 * to 100 records (a lone write as a single PATCH), with HubSpot's 207
 * partial failures handled row by row.
 */
import { objectTypes, type ObjectType } from '../config/schema.js';
import { backoffDelay } from '../core/backoff.js';
import { decideAfterFailure } from '../core/retry-decision.js';
import { isProviderError } from '../core/errors.js';
import type { BatchRowFailure } from '../hubspot/types.js';
import { claimOutbox, outboxBacklog } from '../store/claim-outbox.js';
import { dropWrite, rescheduleWrite, settleSentWrites } from '../store/settle-outbox.js';
import { outboxProperties } from '../store/claim-outbox.js';
import type { OutboxRow } from '../store/schema.js';
import { leaseMs, type EngineContext } from './context.js';
import type { TickResult } from './loop.js';
import { hubspotCall } from './provider-calls.js';

const BATCH = 100;
/** The longest a partial batch waits for companions while writes keep coming. */
const MAX_BATCH_WAIT_MS = 5_000;

export async function writeTick(ctx: EngineContext): Promise<TickResult> {
  const now = ctx.clock.now();
  const allowance = await ctx.pauses.allowance('hubspot', now, BATCH * 5);
  if (allowance === 0) return 'idle';
  const pending = await outboxBacklog(ctx.store, now);
  if (pending.due === 0) return 'idle';
  const quiet = now - pending.lastChange >= ctx.config.hubspot.batchDelay;
  const overdue = now - pending.oldestDue >= MAX_BATCH_WAIT_MS;
  if (pending.due < BATCH && !quiet && !overdue) return 'idle';
  // While the budget is spent, writes pile up and coalesce: the claim after the wait fills fuller batches.
  await ctx.budget.waitForRoom('api');
  const rows = await claimOutbox(ctx.store, { workerId: ctx.workerId, now: ctx.clock.now(), leaseMs: leaseMs(ctx), limit: allowance });
  if (rows.length === 0) return 'idle';
  ctx.pauses.spendProbe('hubspot', ctx.clock.now());

  const groups = new Map<string, OutboxRow[]>();
  for (const row of rows) groups.set(row.object_type, [...(groups.get(row.object_type) ?? []), row]);
  const sends: Promise<void>[] = [];
  for (const [name, group] of groups) {
    const type = objectTypes.find((t) => t === name);
    if (type === undefined) {
      ctx.log.error({ objectType: name, writes: group.length }, 'CRM writes dropped: Reelay does not write to this object type');
      for (const row of group) await dropWrite(ctx.store, row);
      continue;
    }
    for (let i = 0; i < group.length; i += BATCH) sends.push(send(ctx, type, group.slice(i, i + BATCH)));
  }
  await Promise.all(sends);
  return 'busy';
}

async function send(ctx: EngineContext, type: ObjectType, rows: OutboxRow[]): Promise<void> {
  try {
    const [only] = rows;
    if (rows.length === 1 && only) {
      await hubspotCall(ctx, () => ctx.hubspot.updateObject(type, only.object_id, outboxProperties(only)));
      await settleSentWrites(ctx.store, [only]);
    } else {
      const result = await hubspotCall(ctx, () =>
        ctx.hubspot.batchUpdate(
          type,
          rows.map((r) => ({ id: r.object_id, properties: outboxProperties(r) })),
        ),
      );
      await settleBatch(ctx, rows, result.updated, result.failed);
    }
    await ctx.pauses.resume('hubspot', ctx.clock.now());
  } catch (err) {
    if (isProviderError(err) && err.failureClass === 'permanent' && rows.length > 1) {
      // The whole batch was refused for one bad row: find it by sending them one by one.
      await Promise.all(rows.map((row) => send(ctx, type, [row])));
      return;
    }
    await handleWriteFailure(ctx, rows, err);
  }
}

async function settleBatch(ctx: EngineContext, rows: OutboxRow[], updated: string[], failed: BatchRowFailure[]): Promise<void> {
  const ok = new Set(updated);
  const failures = new Map(failed.flatMap((f) => (f.id === null ? [] : [[f.id, f] as const])));
  await settleSentWrites(ctx.store, rows.filter((row) => ok.has(row.object_id)));
  for (const row of rows) {
    if (ok.has(row.object_id)) continue;
    const failure = failures.get(row.object_id);
    if (failure && failure.failureClass === 'permanent') {
      ctx.log.error({ objectType: row.object_type, objectId: row.object_id, category: failure.category }, `CRM write dropped: ${failure.message}`);
      await dropWrite(ctx.store, row);
      continue;
    }
    // Retryable row failures, and rows HubSpot answered for without naming them.
    await retryWrite(ctx, row, failure ? `${failure.category}: ${failure.message}` : 'not confirmed by the batch answer');
  }
}

async function handleWriteFailure(ctx: EngineContext, rows: OutboxRow[], err: unknown): Promise<void> {
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
      ctx.log.error({ objectType: row.object_type, objectId: row.object_id, code: decision.code }, `CRM write dropped: ${decision.reason}`);
      await dropWrite(ctx.store, row);
    }
  }
}

async function retryWrite(ctx: EngineContext, row: OutboxRow, reason: string): Promise<void> {
  const now = ctx.clock.now();
  if (row.attempts + 1 >= ctx.config.worker.maxAttempts) {
    ctx.log.error({ objectType: row.object_type, objectId: row.object_id }, `CRM write dropped after ${row.attempts + 1} attempts: ${reason}`);
    await dropWrite(ctx.store, row);
    return;
  }
  ctx.metrics.retries.inc({ stage: 'write' });
  const delay = backoffDelay({ attempt: row.attempts + 1, baseMs: ctx.config.worker.retryBase, capMs: ctx.config.worker.retryCap, random: ctx.random });
  await rescheduleWrite(ctx.store, row, { runAt: now + delay, error: reason, now, countAttempt: true });
}
