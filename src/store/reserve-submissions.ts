import { sql } from 'kysely';
import { assertTransition, inFlightStates } from '../core/states.js';
import { durableTransaction, type Store } from './db.js';
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
}

/**
 * Write-ahead for submission: moves due `enriched` renders to `submitting`
 * (leased to this worker, timeline written), but only as many as the HeyGen
 * window has room for. Counting and moving happen in one transaction under a
 * lock (an advisory lock on PostgreSQL, the single writer on SQLite), so
 * several instances together never put more than `windowSize` in flight.
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

    let due = trx
      .selectFrom('renders')
      .select('id')
      .where('state', '=', 'enriched')
      .where('run_at', '<=', input.now)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', input.now)]))
      .orderBy('run_at')
      .orderBy('id')
      .limit(free);
    if (input.campaignId !== undefined) due = due.where('campaign_id', '=', input.campaignId);
    if (store.dialect === 'postgres') due = due.forUpdate().skipLocked();

    const rows = await trx
      .updateTable('renders')
      .set({ state: 'submitting', submitted_at: input.now, updated_at: input.now, leased_by: input.workerId, lease_until: input.now + input.leaseMs })
      .where('id', 'in', due)
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
