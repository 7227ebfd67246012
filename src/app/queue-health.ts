/** The dashboard's queue health: paused queues and why, HubSpot's budget in use, HeyGen's window in use. */
import type { Provider } from '../core/errors.js';
import type { EngineContext } from '../engine/context.js';
import { budgetPauseScope } from '../engine/credit-budgets.js';
import { budgetStatus, type BudgetUse } from './budget-usage.js';
import type { BudgetUsage } from '../engine/hubspot-budget.js';
import type { PauseInfo } from '../engine/pauses.js';
import { countInFlight } from '../store/count-in-flight.js';

export type { BudgetUsage, PauseInfo };

/** The providers' queues; credit budgets pause per scope (`budget:global`, `budget:campaign:ID`), listed where capped. */
export const pauseScopes: readonly Provider[] = ['hubspot', 'heygen'];

export interface QueueHealth {
  pauses: { scope: string; pause: PauseInfo | null }[];
  hubspot: BudgetUsage;
  heygen: { inFlight: number; window: number; limit: number };
  /** Credit budgets today, the capped scopes only. */
  credits: (BudgetUse & { exhausted: boolean })[];
}

export async function queueHealth(ctx: Pick<EngineContext, 'store' | 'clock' | 'config' | 'pauses' | 'budget' | 'window'>): Promise<QueueHealth> {
  const now = ctx.clock.now();
  const credits = (await budgetStatus(ctx)).filter((use) => use.cap !== null);
  const scopes = [...pauseScopes, ...credits.map((use) => budgetPauseScope(use.scope))];
  const pauses = await Promise.all(scopes.map(async (scope) => ({ scope, pause: await ctx.pauses.get(scope, now) })));
  return {
    pauses,
    credits,
    hubspot: await ctx.budget.usage(),
    heygen: { inFlight: await countInFlight(ctx.store), window: ctx.window.size, limit: ctx.window.limit },
  };
}
