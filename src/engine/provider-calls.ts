/**
 * Every HubSpot call goes through here: it waits for a slot in the app's
 * budget, and a rate-limit answer holds the budget for every caller.
 */
import { isProviderError } from '../core/errors.js';
import type { EngineContext } from './context.js';
import type { BudgetLane } from './hubspot-budget.js';

export async function hubspotCall<T>(ctx: Pick<EngineContext, 'budget'>, call: () => Promise<T>, lane: BudgetLane = 'api'): Promise<T> {
  try {
    return await ctx.budget.run(lane, call);
  } catch (err) {
    if (isProviderError(err) && err.provider === 'hubspot' && err.status === 429) ctx.budget.rateLimited(err.policy, err.retryAfterMs);
    throw err;
  }
}
