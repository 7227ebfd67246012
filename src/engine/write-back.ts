/**
 * Write-back: the outbox's coalesced CRM effects, claimed together and sent
 * by their kind (`effects/`): property writes as batch updates of up to 100
 * records, notes one by one, engagement counters merged into the record.
 */
import { objectTypes } from '../config/schema.js';
import { claimOutbox, outboxBacklog } from '../store/claim-outbox.js';
import { dropWrite } from '../store/settle-outbox.js';
import type { OutboxRow } from '../store/schema.js';
import { leaseMs, type EngineContext } from './context.js';
import { effectSenders } from './effects/index.js';
import type { TickResult } from './loop.js';

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

  // One group per kind and object type: a batch update never names a record twice.
  const groups = new Map<string, OutboxRow[]>();
  for (const row of rows) {
    const key = `${row.kind}\u0000${row.object_type}`;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  const sends: Promise<void>[] = [];
  for (const group of groups.values()) {
    const [first] = group;
    if (!first) continue;
    const type = objectTypes.find((t) => t === first.object_type);
    const send = effectSenders.get(first.kind);
    if (type === undefined || send === undefined) {
      const why = type === undefined ? 'Reelay does not write to this object type' : `no effect kind "${first.kind}"`;
      ctx.log.error({ objectType: first.object_type, kind: first.kind, writes: group.length }, `CRM writes dropped: ${why}`);
      for (const row of group) await dropWrite(ctx.store, row);
      continue;
    }
    for (let i = 0; i < group.length; i += BATCH) sends.push(send(ctx, type, group.slice(i, i + BATCH)));
  }
  await Promise.all(sends);
  return 'busy';
}
