/** Credit budget use today (`GET /api/budgets`, `reelay doctor`, the dashboard): used/cap per scope, and which are paused. */
import type { BudgetUse } from '../core/render-budgets.js';
import { isExhausted } from '../core/render-budgets.js';
import { readBudgetUse } from '../engine/credit-budgets.js';
import type { EngineContext } from '../engine/context.js';

export type { BudgetUse };

/**
 * `{ scope, cap, used, day }` for the global budget and each configured
 * campaign (`cap` null where uncapped), counted for the UTC day of the
 * context's clock.
 */
export function budgetUsage(ctx: Pick<EngineContext, 'store' | 'config' | 'clock'>): Promise<BudgetUse[]> {
  return readBudgetUse(ctx, ctx.clock.now());
}

/** The same, each with whether its cap is reached (renders of that scope wait). */
export async function budgetStatus(ctx: Pick<EngineContext, 'store' | 'config' | 'clock'>): Promise<(BudgetUse & { exhausted: boolean })[]> {
  return (await budgetUsage(ctx)).map((use) => ({ ...use, exhausted: isExhausted(use) }));
}
