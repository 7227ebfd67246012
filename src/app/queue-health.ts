/** The dashboard's queue health: paused queues and why, HubSpot's budget in use, HeyGen's window in use. */
import type { Provider } from '../core/errors.js';
import type { EngineContext } from '../engine/context.js';
import type { BudgetUsage } from '../engine/hubspot-budget.js';
import type { PauseInfo } from '../engine/pauses.js';
import { countInFlight } from '../store/count-in-flight.js';

export type { BudgetUsage, PauseInfo };

/** The queues that can pause (a new scope, e.g. `budget`, is one more entry). */
export const pauseScopes: readonly Provider[] = ['hubspot', 'heygen'];

export interface QueueHealth {
  pauses: { scope: string; pause: PauseInfo | null }[];
  hubspot: BudgetUsage;
  heygen: { inFlight: number; window: number; limit: number };
}

export async function queueHealth(ctx: Pick<EngineContext, 'store' | 'clock' | 'pauses' | 'budget' | 'window'>): Promise<QueueHealth> {
  const now = ctx.clock.now();
  const pauses = await Promise.all(pauseScopes.map(async (scope) => ({ scope, pause: await ctx.pauses.get(scope, now) })));
  return {
    pauses,
    hubspot: await ctx.budget.usage(),
    heygen: { inFlight: await countInFlight(ctx.store), window: ctx.window.size, limit: ctx.window.limit },
  };
}
