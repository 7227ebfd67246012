/**
 * Periodic chores: retention (raw events, finished renders, engagement),
 * folding the render statistics, the metrics that read the store, and the
 * planner's statistics.
 */
import { compactRenderStats } from '../store/compact-render-stats.js';
import { queueStats } from '../store/list-renders.js';
import { pruneEngagement } from '../store/prune-engagement.js';
import { pruneEvents } from '../store/prune-events.js';
import { pruneFinishedRenders } from '../store/prune-renders.js';
import { pruneSlots } from '../store/rate-slots.js';
import { pruneCreditSlots } from '../store/prune-credit-slots.js';
import { readStateCounts } from '../store/read-render-stats.js';
import { refreshPlannerStats } from '../store/refresh-planner-stats.js';
import { vacuumRenderStatChanges } from '../store/vacuum-render-stat-changes.js';
import { utcDay } from '../core/render-budgets.js';
import { DAY_MS } from '../core/schedule.js';
import { renderStates } from '../core/states.js';
import type { EngineContext } from './context.js';
import type { TickResult } from './loop.js';

/** HubSpot budget slots older than this no longer count for any window. */
const SLOT_RETENTION_MS = 10 * 60_000;
/**
 * Credit budget slots count only for their UTC day; older ones are kept a
 * while so a retry of an old submission still finds the slot it holds.
 */
const CREDIT_SLOT_RETENTION_DAYS = 35;
/**
 * Render statistic changes folded per transaction, and at most this many
 * transactions a tick (180,000 changes): a burst's changes (a few per
 * transition) are folded in short steps with the event loop free between
 * two of them. 5,000 at once held the event loop for 180 ms in front of
 * webhook answers; 300 took about 10 ms alone but 20-36 ms while webhooks
 * arrived at 1,000/s, every 15 s for several seconds (the intake
 * benchmark's profile), which was most of its p99; 100 keep a step under
 * about 10 ms there.
 */
const STATS_BATCH = 100;
const STATS_BATCHES_PER_TICK = 1_800;
/** PostgreSQL: the change log is vacuumed after a tick that folded at least this many (its dead rows otherwise linger until autovacuum). */
const VACUUM_AFTER_FOLDED = 5_000;

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
  await foldRenderStats(ctx);
  await refreshQueueMetrics(ctx);
  await refreshPlannerStats(ctx.store);
  return 'idle';
}

/** Folds the render statistic changes, batch by batch, until none are left (or the tick's share is done). */
export async function foldRenderStats(ctx: Pick<EngineContext, 'store'>): Promise<number> {
  let folded = 0;
  for (let i = 0; i < STATS_BATCHES_PER_TICK; i += 1) {
    const n = await compactRenderStats(ctx.store, STATS_BATCH);
    folded += n;
    if (n < STATS_BATCH) break;
    // On SQLite a transaction never yields: let waiting requests in before the next one.
    await new Promise((resolve) => setImmediate(resolve));
  }
  if (folded >= VACUUM_AFTER_FOLDED) await vacuumRenderStatChanges(ctx.store);
  return folded;
}

export async function refreshQueueMetrics(ctx: Pick<EngineContext, 'store' | 'clock' | 'metrics'>): Promise<void> {
  const counts = await readStateCounts(ctx.store);
  for (const state of renderStates) ctx.metrics.rendersByState.set({ state }, counts[state] ?? 0);
  const stats = await queueStats(ctx.store, ctx.clock.now());
  ctx.metrics.queueDepth.set(stats.due);
  ctx.metrics.oldestDueSeconds.set(stats.oldestDueMs / 1000);
  ctx.metrics.pendingCrmWrites.set(stats.pendingWrites);
}
