/**
 * Operator actions on renders (`reelay retry`, `reelay cancel`,
 * `POST /api/renders/...`): the engine's operations, which check that the
 * render may change and change it.
 */
import type { Clock } from '../core/clock.js';
import type { CrmWriteContext } from '../engine/crm-writes.js';
import { cancelRender, retryFailed, retryRender, type OperationResult } from '../engine/operations.js';
import type { Store } from '../store/db.js';

export type { OperationResult };

/** Re-queues one failed, skipped or cancelled render from the start. */
export function retryOne(store: Store, clock: Clock, id: number): Promise<OperationResult> {
  return retryRender(store, clock, id);
}

/** Re-queues every failed render (of one campaign, or of all). */
export function retryAllFailed(store: Store, clock: Clock, campaignId: string | undefined): Promise<{ retried: number; refused: number }> {
  return retryFailed(store, clock, campaignId);
}

/** Cancels a render that has not finished; the CRM is told when it already shows the render under way. */
export function cancelOne(ctx: CrmWriteContext, id: number): Promise<OperationResult> {
  return cancelRender(ctx, id);
}
