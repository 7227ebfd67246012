import { sql } from 'kysely';
import { allocateSlots, exhaustedCampaigns, hasCaps, type BudgetCaps } from '../core/render-budgets.js';
import { assertTransition, inFlightStates } from '../core/states.js';
import { countCreditSlots } from './count-credit-slots.js';
import { durableTransaction, inTransaction, type Store } from './db.js';
import type { RenderRow } from './schema.js';

/** Arbitrary constant naming the HeyGen-window lock among advisory locks. */
const WINDOW_LOCK = 0x7265656c; // "reel"

export interface ReserveInput {
  workerId: string;
  now: number;
  leaseMs: number;
  /** The HeyGen concurrency window: renders that may be in flight at once. */
  windowSize: number;
  /** At most this many (the caller's own limit). */
  limit: number;
  campaignId?: string;
  /**
   * The credit budgets in force and the UTC day they count on. Each reserved
   * render takes a slot for its submission (one it already holds is not
   * taken again); no render is reserved past a cap.
   */
  budget?: { caps: BudgetCaps; day: string };
}

/**
 * Write-ahead for submission: moves due `enriched` renders to `submitting`
 * (leased to this worker, timeline written), but only as many as the HeyGen
 * window has room for. Counting and moving happen in one transaction under a
 * lock (an advisory lock on PostgreSQL, the single writer on SQLite), so
 * several instances together never put more than `windowSize` in flight,
 * nor reserve past a credit budget: the day's slots are counted and taken
 * (`credit_slots`) under the same lock, before any HeyGen call.
 */
export async function reserveSubmissions(store: Store, input: ReserveInput): Promise<RenderRow[]> {
  assertTransition('enriched', 'submitting');
  // Durable: this commit is what says "HeyGen may be billing for this render".
  return durableTransaction(store, async (trx) => {
    if (store.dialect === 'postgres') await sql`select pg_advisory_xact_lock(${WINDOW_LOCK})`.execute(trx);
    const inFlight = await trx
      .selectFrom('renders')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('state', 'in', [...inFlightStates])
      .where((eb) => eb.or([eb('heygen_status', 'is', null), eb('heygen_status', 'not in', ['completed', 'failed'])]))
      .executeTakeFirstOrThrow();
    const free = Math.min(input.limit, input.windowSize - Number(inFlight.n));
    if (free <= 0) return [];

    const budget = input.budget;
    // Without caps the slots are only recorded (for the day's use): nothing to count or check.
    const capped = budget !== undefined && hasCaps(budget.caps);
    const used = capped ? await countCreditSlots(inTransaction(store, trx), budget.day) : new Map<string, number>();
    const blocked = capped ? exhaustedCampaigns(budget.caps, used) : [];

    let due = trx
      .selectFrom('renders')
      .select(['id', 'campaign_id', 'submission'])
      .where('state', '=', 'enriched')
      .where('run_at', '<=', input.now)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', input.now)]))
      .orderBy('run_at')
      .orderBy('id')
      .limit(free);
    if (input.campaignId !== undefined) due = due.where('campaign_id', '=', input.campaignId);
    if (blocked.length > 0) due = due.where('campaign_id', 'not in', blocked);
    if (store.dialect === 'postgres') due = due.forUpdate().skipLocked();
    const candidates = await due.execute();
    if (candidates.length === 0) return [];

    let ids = candidates.map((c) => c.id);
    if (budget !== undefined) {
      // Slots this render's current submission already holds (an operator's retry with the same idempotency key).
      const held = capped ? await trx.selectFrom('credit_slots').select(['render_id', 'submission']).where('render_id', 'in', ids).execute() : [];
      const holds = new Set(held.map((h) => `${h.render_id}/${h.submission}`));
      const slots = allocateSlots(
        candidates.map((c) => ({ id: c.id, campaignId: c.campaign_id, charged: holds.has(`${c.id}/${c.submission}`) })),
        budget.caps,
        used,
      );
      ids = slots.chosen;
      if (ids.length === 0) return [];
      const taken = new Set(slots.charged.map((c) => c.id));
      const newSlots = candidates.filter((c) => taken.has(c.id));
      if (newSlots.length > 0) {
        await trx
          .insertInto('credit_slots')
          .values(newSlots.map((c) => ({ render_id: c.id, submission: c.submission, day: budget.day, campaign_id: c.campaign_id, taken_at: input.now })))
          .onConflict((oc) => oc.columns(['render_id', 'submission']).doNothing())
          .execute();
      }
    }

    const rows = await trx
      .updateTable('renders')
      .set({ state: 'submitting', submitted_at: input.now, updated_at: input.now, leased_by: input.workerId, lease_until: input.now + input.leaseMs })
      .where('id', 'in', ids)
      .where('state', '=', 'enriched')
      .returningAll()
      .execute();
    if (rows.length > 0) {
      await trx
        .insertInto('render_timeline')
        .values(rows.map((r) => ({ render_id: r.id, at: input.now, from_state: 'enriched', to_state: 'submitting', note: 'submitting to HeyGen' })))
        .execute();
    }
    return rows.sort((a, b) => a.run_at - b.run_at || a.id - b.id);
  });
}
