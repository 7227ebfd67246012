/**
 * Operator actions on renders (`reelay retry`, `reelay cancel`,
 * `POST /api/renders/...`): the engine's operations, which check that the
 * render may change and change it through the lifecycle.
 */
import type { LifecycleContext } from '../engine/lifecycle.js';
import { cancelRender, retryFailed, retryRender, type OperationResult } from '../engine/operations.js';

export { RETRYABLE } from '../engine/operations.js';

export type { LifecycleContext, OperationResult };

/** Re-queues one failed, skipped or cancelled render from the start. */
export function retryOne(ctx: LifecycleContext, id: number, via?: string): Promise<OperationResult> {
  return retryRender(ctx, id, via);
}

/** Re-queues every failed render (of one campaign, or of all). */
export function retryAllFailed(ctx: LifecycleContext, campaignId: string | undefined, via?: string): Promise<{ retried: number; refused: number }> {
  return retryFailed(ctx, campaignId, via);
}

/** Cancels a render that has not finished; the CRM is told when it already shows the render under way. */
export function cancelOne(ctx: LifecycleContext, id: number, via?: string): Promise<OperationResult> {
  return cancelRender(ctx, id, via);
}
