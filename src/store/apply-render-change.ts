import type { Updateable } from 'kysely';
import type { CrmWrite } from '../core/crm-write.js';
import { assertTransition, type CrmStatus, type RenderState } from '../core/states.js';
import { inTransaction, type Store } from './db.js';
import { enqueueCrmWrite, type CrmTarget } from './enqueue-crm-write.js';
import { enqueueEffect, type EffectChange } from './enqueue-effect.js';
import type { RendersTable, RenderUpdate } from './schema.js';

export interface RenderChange {
  renderId: number;
  /** The state the caller saw; the change applies only if the row is still in it. */
  from: RenderState;
  /** The new state; omit to stay (a reschedule or a progress note). */
  to?: RenderState;
  /** Columns to set besides the state (which only `to` changes). */
  set?: RenderUpdate;
  note: string;
  /** Keep the lease (the caller goes on working on the row) instead of releasing it. */
  keepLease?: boolean;
  /** Only apply while this worker holds the lease. */
  leaseOwner?: string;
  /** The CRM writes the change implies (one per record written back to). */
  crm?: CrmChange[];
  /** Effects of other kinds the change implies (a note when the video is ready...). */
  effects?: EffectChange[];
}

export interface CrmChange {
  target: CrmTarget;
  write: CrmWrite;
  status?: CrmStatus;
  notBefore: number;
}

/**
 * The store half of a render change (the render lifecycle, `engine/lifecycle.ts`,
 * is its only caller): state check against the transition table,
 * a guarded update (nothing happens if another worker moved the row first),
 * a timeline entry and the CRM writes and effects it implies, all in one transaction.
 * Returns false when the row was no longer in `from` (or no longer ours).
 */
export async function applyRenderChange(store: Store, change: RenderChange, now: number): Promise<boolean> {
  if (change.to !== undefined && change.to !== change.from) assertTransition(change.from, change.to, change.renderId);
  return store.db.transaction().execute((trx) => applyIn(inTransaction(store, trx), change, now));
}

export interface TimedRenderChange {
  change: RenderChange;
  /** When the change was asked for (its `updated_at` and timeline time). */
  now: number;
}

/**
 * Group commit of render changes: the same as `applyRenderChange` for each,
 * all in one transaction (one commit instead of one per render). Each change
 * keeps its guard: a render another worker moved is skipped (false) and the
 * others still apply. Rows are updated in id order, so two instances
 * committing overlapping batches on PostgreSQL take their row locks in the
 * same order (a stable sort: two changes of one render keep their order).
 * Answers one result per change, in the order given.
 */
export async function applyRenderChanges(store: Store, changes: TimedRenderChange[]): Promise<boolean[]> {
  for (const { change } of changes) {
    if (change.to !== undefined && change.to !== change.from) assertTransition(change.from, change.to, change.renderId);
  }
  const order = changes.map((_, i) => i).sort((a, b) => (changes[a] as TimedRenderChange).change.renderId - (changes[b] as TimedRenderChange).change.renderId);
  return store.db.transaction().execute(async (trx) => {
    const results = new Array<boolean>(changes.length).fill(false);
    for (const i of order) {
      const { change, now } = changes[i] as TimedRenderChange;
      results[i] = await applyIn(inTransaction(store, trx), change, now);
    }
    return results;
  });
}

/** One guarded change inside the caller's transaction. */
async function applyIn(store: Store, change: RenderChange, now: number): Promise<boolean> {
  const { db: trx } = store;
  const set: Updateable<RendersTable> = { ...change.set, updated_at: now };
  if (change.to !== undefined) set.state = change.to;
  if (!change.keepLease) {
    set.leased_by = null;
    set.lease_until = null;
  }
  const status = change.crm?.find((c) => c.status)?.status;
  if (status) set.crm_status = status;
  let update = trx.updateTable('renders').set(set).where('id', '=', change.renderId).where('state', '=', change.from);
  if (change.leaseOwner !== undefined) update = update.where('leased_by', '=', change.leaseOwner);
  const result = await update.executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) return false;
  await trx
    .insertInto('render_timeline')
    .values({ render_id: change.renderId, at: now, from_state: change.from, to_state: change.to ?? change.from, note: change.note })
    .execute();
  for (const crm of change.crm ?? []) await enqueueCrmWrite(store, crm.target, crm.write, now, crm.notBefore);
  for (const effect of change.effects ?? []) await enqueueEffect(store, effect, now);
  return true;
}
