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

/** Campaigns that have due work in the given states, for fair-share claiming. */
export async function campaignsWithDueRenders(store: Store, states: readonly RenderState[], now: number): Promise<string[]> {
  const { db } = store;
  const rows = await db
    .selectFrom('renders')
    .select('campaign_id')
    .distinct()
    .where('state', 'in', [...states])
    .where('run_at', '<=', now)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
    .execute();
  return rows.map((r) => r.campaign_id).sort();
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
