import { sql } from 'kysely';
import type { RenderState } from '../core/states.js';
import type { Store } from './db.js';
import { renderCampaigns } from './render-campaigns.js';
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
 * Campaigns that have due work in the given states, for fair-share claiming.
 * Asked campaign by campaign (`renderCampaigns`, then one look each), which
 * costs a few index seeks per campaign: a `SELECT DISTINCT` over the due
 * renders read every one of them, and with 90,000 queued that took 60 ms on
 * every claim (the 100k burst spent most of its time there).
 */
export async function campaignsWithDueRenders(store: Store, states: readonly RenderState[], now: number): Promise<string[]> {
  const due: string[] = [];
  for (const campaignId of await renderCampaigns(store)) {
    if (await hasDueRenders(store, states, now, campaignId)) due.push(campaignId);
  }
  return due.sort();
}

/**
 * Whether any render in these states is due (a cheap look before waiting
 * for budget). For one campaign, its renders in each state are read in id
 * order (the `campaign_id, state, id` index; `+run_at` keeps SQLite from
 * walking every due render of other campaigns instead): the oldest are due
 * first, so the look usually stops at the first row.
 */
export async function hasDueRenders(store: Store, states: readonly RenderState[], now: number, campaignId?: string): Promise<boolean> {
  const { db } = store;
  let q = db
    .selectFrom('renders')
    .select('id')
    .where('state', 'in', [...states])
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
    .limit(1);
  q = campaignId === undefined ? q.where('run_at', '<=', now) : q.where('campaign_id', '=', campaignId).where(sql<number>`+run_at`, '<=', now);
  return (await q.executeTakeFirst()) !== undefined;
}
