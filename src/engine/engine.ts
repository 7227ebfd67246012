/**
 * The workers of one process: a loop per stage, each claiming its own due
 * rows from the store. Any number of processes can run these side by side
 * (leases keep them apart); on SQLite there is one.
 */
import { releaseLeasesOf } from '../store/reclaim-leases.js';
import type { EngineContext, Stage } from './context.js';
import { CreditBudgets } from './credit-budgets.js';
import { enrichTick } from './enrich.js';
import { housekeepingTick } from './housekeeping.js';
import { JOURNAL_NAME, JournalPoller } from './journal-poller.js';
import { releaseJournalLease } from '../store/journal-lease.js';
import { Loop, type TickResult } from './loop.js';
import { privacyTick } from './privacy.js';
import { scheduleTick } from './scheduler.js';
import { submitTick } from './submit.js';
import { trackTick } from './track.js';
import { writeTick } from './write-back.js';
import { WebhooksFirst } from './webhooks-first.js';
import { eventLoopBusyShare } from '../observability/event-loop-busy.js';

const HOUSEKEEPING_EVERY_MS = 15_000;
/** Cron expressions have minute resolution; an idle tick reads one meta row per scheduled campaign. */
const SCHEDULE_EVERY_MS = 30_000;
/** Privacy deletions and HeyGen video deletions are looked for this often (intake wakes the loop at once). */
const PRIVACY_EVERY_MS = 1_000;

export interface Engine {
  start(): void;
  /** Stop claiming, finish the work in hand, give back leases. */
  stop(): Promise<void>;
  wake(stage: Stage): void;
}

export function createEngine(ctx: Omit<EngineContext, 'wake' | 'creditBudgets' | 'webhooksFirst'>): { engine: Engine; ctx: EngineContext } {
  const loops = new Map<Stage, Loop>();
  const webhooksFirst = new WebhooksFirst({
    pauseMs: () => full.config.worker.yieldToWebhooks,
    loopBusyShare: eventLoopBusyShare(),
    now: () => performance.now(),
    waited: ctx.metrics.workerYieldSeconds,
  });
  const full: EngineContext = { ...ctx, creditBudgets: new CreditBudgets(), webhooksFirst, wake: (stage) => loops.get(stage)?.wake() };
  const idle = ctx.config.worker.idleDelay;
  const loop = (name: string, tick: () => Promise<TickResult>, idleMs: number) => new Loop(name, tick, idleMs, ctx.log, () => webhooksFirst.waitBeforeTick());
  loops.set('enrich', loop('enrich', () => enrichTick(full), idle));
  loops.set('submit', loop('submit', () => submitTick(full), idle));
  loops.set('track', loop('track', () => trackTick(full), idle));
  loops.set('write', loop('write', () => writeTick(full), idle));
  loops.set('privacy', loop('privacy', () => privacyTick(full), Math.max(idle, PRIVACY_EVERY_MS)));
  const housekeeping = loop('housekeeping', () => housekeepingTick(full), HOUSEKEEPING_EVERY_MS);
  const scheduler = loop('schedule', () => scheduleTick(full), SCHEDULE_EVERY_MS);
  // Always running (an idle tick with no scheduled campaign reads nothing): a reload may add the first schedule.
  const periodic = [housekeeping, scheduler];
  if (ctx.journal !== undefined) {
    const poller = new JournalPoller(full, ctx.journal);
    periodic.push(loop('journal', () => poller.tick(), ctx.config.hubspot.journal.pollEvery));
  }

  return {
    ctx: full,
    engine: {
      start() {
        for (const loop of loops.values()) loop.start();
        for (const loop of periodic) loop.start();
      },
      async stop() {
        await Promise.all([...loops.values(), ...periodic].map((l) => l.stop()));
        await releaseLeasesOf(ctx.store, ctx.workerId);
        if (ctx.journal !== undefined) await releaseJournalLease(ctx.store, JOURNAL_NAME, ctx.workerId);
      },
      wake: full.wake,
    },
  };
}
