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
  const { db } = store;
  if (change.to !== undefined && change.to !== change.from) assertTransition(change.from, change.to, change.renderId);
  return db.transaction().execute(async (trx) => {
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
    for (const crm of change.crm ?? []) await enqueueCrmWrite(inTransaction(store, trx), crm.target, crm.write, now, crm.notBefore);
    for (const effect of change.effects ?? []) await enqueueEffect(inTransaction(store, trx), effect, now);
    return true;
  });
}
