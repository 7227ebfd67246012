/** Periodic chores: retention (raw events, finished renders, engagement), and the metrics that read the store. */
import { countRendersByState, queueStats } from '../store/list-renders.js';
import { pruneEngagement } from '../store/prune-engagement.js';
import { pruneEvents } from '../store/prune-events.js';
import { pruneFinishedRenders } from '../store/prune-renders.js';
import { pruneSlots } from '../store/rate-slots.js';
import { pruneCreditSlots } from '../store/prune-credit-slots.js';
import { utcDay } from '../core/render-budgets.js';
import { renderStates } from '../core/states.js';
import type { EngineContext } from './context.js';
import type { TickResult } from './loop.js';

const DAY_MS = 86_400_000;
/** HubSpot budget slots older than this no longer count for any window. */
const SLOT_RETENTION_MS = 10 * 60_000;
/**
 * Credit budget slots count only for their UTC day; older ones are kept a
 * while so a retry of an old submission still finds the slot it holds.
 */
const CREDIT_SLOT_RETENTION_DAYS = 35;

export async function housekeepingTick(ctx: EngineContext): Promise<TickResult> {
  const now = ctx.clock.now();
  const pruned = await pruneEvents(ctx.store, now - ctx.config.retention.eventDays * DAY_MS);
  if (pruned > 0) ctx.log.info({ pruned }, 'pruned old inbound events');
  const engagement = await pruneEngagement(ctx.store, now - ctx.config.retention.engagementDays * DAY_MS);
  if (engagement > 0) ctx.log.info({ pruned: engagement }, 'pruned old engagement');
  if (ctx.config.retention.renderDays !== undefined) {
    await pruneFinishedRenders(ctx.store, now - ctx.config.retention.renderDays * DAY_MS);
  }
  if (ctx.store.dialect === 'postgres') await pruneSlots(ctx.store, now - SLOT_RETENTION_MS);
  await pruneCreditSlots(ctx.store, utcDay(now - CREDIT_SLOT_RETENTION_DAYS * DAY_MS));
  await refreshQueueMetrics(ctx);
  return 'idle';
}

export async function refreshQueueMetrics(ctx: Pick<EngineContext, 'store' | 'clock' | 'metrics'>): Promise<void> {
  const counts = await countRendersByState(ctx.store);
  for (const state of renderStates) ctx.metrics.rendersByState.set({ state }, counts[state] ?? 0);
  const stats = await queueStats(ctx.store, ctx.clock.now());
  ctx.metrics.queueDepth.set(stats.due);
  ctx.metrics.oldestDueSeconds.set(stats.oldestDueMs / 1000);
  ctx.metrics.pendingCrmWrites.set(stats.pendingWrites);
}
