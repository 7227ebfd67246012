import { sql, type Kysely } from 'kysely';
import { allocateSlots, exhaustedCampaigns, hasCaps, type BudgetCaps } from '../core/render-budgets.js';
import { assertTransition, inFlightStates } from '../core/states.js';
import { countCreditSlots } from './count-credit-slots.js';
import { durableTransaction, inTransaction, type Store } from './db.js';
import type { Database, RenderRow } from './schema.js';

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
  const budget = input.budget;
  const capped = budget !== undefined && hasCaps(budget.caps);
  // Durable: this commit is what says "HeyGen may be billing for this render".
  const rows = await durableTransaction(store, async (trx) => {
    if (store.dialect === 'postgres') await sql`select pg_advisory_xact_lock(${WINDOW_LOCK})`.execute(trx);
    const inFlight = await trx
      .selectFrom('renders')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('state', 'in', [...inFlightStates])
      .where((eb) => eb.or([eb('heygen_status', 'is', null), eb('heygen_status', 'not in', ['completed', 'failed'])]))
      .executeTakeFirstOrThrow();
    const free = Math.min(input.limit, input.windowSize - Number(inFlight.n));
    if (free <= 0) return [];

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

    const move = trx
      .updateTable('renders')
      .set({ state: 'submitting', submitted_at: input.now, updated_at: input.now, leased_by: input.workerId, lease_until: input.now + input.leaseMs });
    let moved: RenderRow[];
    if (!capped) {
      // No cap: one statement, as short as the shared lock allows. (Nothing else in its WHERE: another
      // condition beside the LIMIT subquery can make PostgreSQL re-run it and move more than the limit.)
      moved = await move.where('id', 'in', due.clearSelect().select('id')).returningAll().execute();
    } else {
      const candidates = await due.execute();
      if (candidates.length === 0) return [];
      // Slots this render's current submission already holds (an operator's retry with the same idempotency key).
      const held = await trx.selectFrom('credit_slots').select(['render_id', 'submission']).where('render_id', 'in', candidates.map((c) => c.id)).execute();
      const holds = new Set(held.map((h) => `${h.render_id}/${h.submission}`));
      const slots = allocateSlots(
        candidates.map((c) => ({ id: c.id, campaignId: c.campaign_id, charged: holds.has(`${c.id}/${c.submission}`) })),
        budget.caps,
        used,
      );
      if (slots.chosen.length === 0) return [];
      const taken = new Set(slots.charged.map((c) => c.id));
      await insertSlots(trx, candidates.filter((c) => taken.has(c.id)), budget.day, input.now);
      moved = await move.where('id', 'in', slots.chosen).where('state', '=', 'enriched').returningAll().execute();
    }
    if (moved.length > 0) {
      await trx
        .insertInto('render_timeline')
        .values(moved.map((r) => ({ render_id: r.id, at: input.now, from_state: 'enriched', to_state: 'submitting', note: 'submitting to HeyGen' })))
        .execute();
    }
    return moved.sort((a, b) => a.run_at - b.run_at || a.id - b.id);
  });
  // Uncapped, the slots only record the day's use: written after the lock is released.
  if (budget !== undefined && !capped) await insertSlots(store.db, rows, budget.day, input.now);
  return rows;
}

/** Records one credit slot per reserved submission (a slot already held stays as it is). */
async function insertSlots(db: Kysely<Database>, renders: { id: number; campaign_id: string; submission: number }[], day: string, now: number): Promise<void> {
  if (renders.length === 0) return;
  await db
    .insertInto('credit_slots')
    .values(renders.map((r) => ({ render_id: r.id, submission: r.submission, day, campaign_id: r.campaign_id, taken_at: now })))
    .onConflict((oc) => oc.columns(['render_id', 'submission']).doNothing())
    .execute();
}
