import { sql } from 'kysely';
import type { RenderState } from '../core/states.js';
import type { Store } from './db.js';
import type { RenderRow } from './schema.js';

export interface ClaimRendersInput {
  states: readonly RenderState[];
  workerId: string;
  now: number;
  leaseMs: number;
  limit: number;
  /** Only rows of this campaign (fair share asks campaign by campaign). */
  campaignId?: string;
}

/**
 * Leases up to `limit` due renders in the given states, oldest due first.
 * A row is due when `run_at` has passed and no live lease holds it. On
 * PostgreSQL, `FOR UPDATE SKIP LOCKED` lets several instances claim side by
 * side without waiting on each other; SQLite has a single writer.
 */
export async function claimRenders(store: Store, input: ClaimRendersInput): Promise<RenderRow[]> {
  const { db, dialect } = store;
  const { now, workerId, limit } = input;
  let due = db
    .selectFrom('renders')
    .select('id')
    .where('state', 'in', [...input.states])
    .where('run_at', '<=', now)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
    .orderBy('run_at')
    .orderBy('id')
    .limit(limit);
  if (input.campaignId !== undefined) due = due.where('campaign_id', '=', input.campaignId);
  if (dialect === 'postgres') due = due.forUpdate().skipLocked();

  return db
    .updateTable('renders')
    .set({ leased_by: workerId, lease_until: now + input.leaseMs })
    .where('id', 'in', due)
    .returningAll()
    .execute()
    .then((rows) => rows.sort((a, b) => a.run_at - b.run_at || a.id - b.id));
}

/**
 * Campaigns that have due work in the given states, for fair-share claiming,
 * in one statement that costs a few index seeks per campaign however many
 * renders wait: a loose scan of the campaign ids (each step seeks the next
 * larger one), and for each a look at its renders in those states through
 * the `campaign_id, state, id` index (`+run_at` keeps SQLite from walking
 * every due render of other campaigns instead; the oldest are due first, so
 * the look usually stops at the first row). A `SELECT DISTINCT` over the
 * due renders read every one of them: with 90,000 queued, 60 ms on every
 * claim (the 100k burst spent most of its time there).
 */
export async function campaignsWithDueRenders(store: Store, states: readonly RenderState[], now: number): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    with recursive c(id) as (
      select min(campaign_id) from renders
      union all
      select (select min(campaign_id) from renders where campaign_id > c.id) from c where c.id is not null
    )
    select id from c
    where id is not null and exists (
      select 1 from renders r
      where r.campaign_id = c.id and r.state in (${sql.join([...states])}) and +r.run_at <= ${now}
        and (r.lease_until is null or r.lease_until < ${now})
    )`.execute(store.db);
  return rows.map((r) => r.id).sort();
}

/** Whether any render in these states is due (a cheap look before waiting for budget). */
export async function hasDueRenders(store: Store, states: readonly RenderState[], now: number): Promise<boolean> {
  const { db } = store;
  const row = await db
    .selectFrom('renders')
    .select('id')
    .where('state', 'in', [...states])
    .where('run_at', '<=', now)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
