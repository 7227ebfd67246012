/**
 * Credit budgets in `reelay doctor`: today's use per scope (used/cap), read
 * from the store. A reached cap is a warning, not a failure: it is the cap
 * doing its job, and renders wait for the next UTC day or a raised cap.
 */
import type { ReelayConfig } from '../config/schema.js';
import { hasCaps, isExhausted, nextUtcMidnight, type BudgetUse } from '../core/render-budgets.js';
import { readBudgetUse } from '../engine/credit-budgets.js';
import type { Store } from '../store/db.js';
import { pass, warn, type CheckOutcome } from './outcome.js';

export async function checkBudgets(store: Store, config: ReelayConfig, now: number): Promise<CheckOutcome[]> {
  const uses = await readBudgetUse({ store, config }, now);
  if (!hasCaps(config.budgets)) {
    const global = uses[0];
    return [pass(`no credit budget set: ${global?.used ?? 0} render(s) billed today (${global?.day ?? ''} UTC)`)];
  }
  return uses.filter((use) => use.cap !== null || use.used > 0).map((use) => budgetLine(use, now));
}

function budgetLine(use: BudgetUse, now: number): CheckOutcome {
  const name = use.scope === 'global' ? 'budget (all campaigns)' : `budget ${use.scope}`;
  const text = `${name}: ${use.used}/${use.cap ?? 'no cap'} renders billed today (${use.day} UTC)`;
  if (!isExhausted(use)) return pass(text);
  return warn(
    `${text}: the cap is reached and renders wait in enriched`,
    `they resume at ${new Date(nextUtcMidnight(now)).toISOString()}, or raise the cap under budgets: in reelay.yaml and reload (kill -HUP the serve process, or POST /api/config/reload)`,
  );
}
