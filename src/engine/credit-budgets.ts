/**
 * Credit budgets in the engine (not the HubSpot request budget of
 * `create-budget.ts`): what the reservation is given to enforce, and how a
 * used-up budget shows. The cap itself is enforced by the reservation's
 * transaction (`store/reserve-submissions.ts`); this watches the day's use
 * and keeps the signals in step with it:
 *
 * - a scope at its cap is a queue pause with code `budget` (`pauses.ts`:
 *   one alert, seen by every instance, `doctor`, the admin API and the
 *   dashboard) and `reelay_budget_exhausted{scope}` is 1;
 * - a scope with room again (a new UTC day, a raised cap after a reload)
 *   is resumed and its gauge goes back to 0.
 */
import { budgetUse, exhaustedReason, hasCaps, isExhausted, utcDay, type BudgetCaps, type BudgetUse } from '../core/render-budgets.js';
import { countCreditSlots } from '../store/count-credit-slots.js';
import { listMeta } from '../store/list-meta.js';
import type { EngineContext } from './context.js';
import type { PauseScope } from './pauses.js';

/** How often an idle submit loop looks at the day's use (a reservation that took slots looks at once). */
const WATCH_EVERY_MS = 1_000;
const PAUSE_PREFIX = 'pause:';
export const BUDGET_PAUSE_CODE = 'budget';

export const budgetPauseScope = (scope: string): PauseScope => `budget:${scope}`;

type WatchContext = Pick<EngineContext, 'store' | 'config' | 'pauses' | 'metrics'>;

export class CreditBudgets {
  private lastWatch = -Infinity;
  private watchedCaps: BudgetCaps | null = null;
  private gauged = new Set<string>();

  /** What the reservation enforces now: the configuration's caps (read at each call, so a reload applies) and today's UTC day. */
  reservation(ctx: Pick<EngineContext, 'config'>, now: number): { caps: BudgetCaps; day: string } {
    return { caps: ctx.config.budgets, day: utcDay(now) };
  }

  /**
   * Brings pauses and gauges in line with today's use. Cheap when nothing is
   * capped; otherwise at most once per second unless `force` (slots were
   * just taken or given back).
   */
  async watch(ctx: WatchContext, now: number, force = false): Promise<void> {
    const caps = ctx.config.budgets;
    const capsChanged = caps !== this.watchedCaps;
    if (!capsChanged && !hasCaps(caps)) return;
    if (!capsChanged && !force && now - this.lastWatch < WATCH_EVERY_MS) return;
    this.lastWatch = now;
    this.watchedCaps = caps;

    const uses = budgetUse(caps, await countCreditSlots(ctx.store, utcDay(now)), utcDay(now)).filter((u) => u.cap !== null);
    const exhausted = new Set<string>();
    for (const use of uses) {
      if (isExhausted(use)) {
        exhausted.add(use.scope);
        await ctx.pauses.pause(budgetPauseScope(use.scope), BUDGET_PAUSE_CODE, exhaustedReason(use, now), now);
      }
    }
    // Lift every budget pause whose scope has room now, including scopes no longer capped (a reload) or paused by another instance.
    const paused = await listMeta(ctx.store, `${PAUSE_PREFIX}budget:`);
    for (const row of paused) {
      const scope = row.key.slice(`${PAUSE_PREFIX}budget:`.length);
      if (!exhausted.has(scope)) await ctx.pauses.resume(budgetPauseScope(scope), now);
    }
    for (const use of uses) {
      ctx.metrics.budgetExhausted.set({ scope: use.scope }, exhausted.has(use.scope) ? 1 : 0);
      this.gauged.add(use.scope);
    }
    for (const scope of this.gauged) {
      if (!uses.some((u) => u.scope === scope)) {
        ctx.metrics.budgetExhausted.set({ scope }, 0);
        this.gauged.delete(scope);
      }
    }
  }
}

/** Today's use of every scope: the global budget and each configured campaign (`cap` null where uncapped). */
export async function readBudgetUse(ctx: Pick<EngineContext, 'store' | 'config'>, now: number): Promise<BudgetUse[]> {
  const day = utcDay(now);
  return budgetUse(
    ctx.config.budgets,
    await countCreditSlots(ctx.store, day),
    day,
    ctx.config.campaigns.map((c) => c.id),
  );
}
