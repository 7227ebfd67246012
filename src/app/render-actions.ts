/**
 * Operator actions on renders (`reelay retry`, `reelay cancel`,
 * `reelay approve`, `reelay reject`, `POST /api/renders/...`, the
 * dashboard): the engine's operations, which check that the render may
 * change and change it through the lifecycle.
 *
 * Every action resolves (it does not throw for a user's mistake) with
 * `{ ok: true, state }` (the render's new state) or `{ ok: false, code,
 * reason }`: `reason` is a one-line message for the operator, and nothing
 * changed. `code` (`OperationRefusal`) is `not_found`, `wrong_state`,
 * `changed` (another change came first) or `invalid_input`.
 */
import type { LifecycleContext } from '../engine/lifecycle.js';
import { approveReview, cancelRender, rejectReview, retryFailed, retryRender, type OperationRefusal, type OperationResult } from '../engine/operations.js';

export { RETRYABLE } from '../engine/operations.js';

export type { LifecycleContext, OperationRefusal, OperationResult };

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

/**
 * Approves a render awaiting review (`review: required`): `awaiting_review →
 * completed`, and the CRM gets COMPLETED, the link and the job id (and a note
 * with `note: true`) as for any completed render.
 */
export function approveRender(ctx: LifecycleContext, id: number, via?: string): Promise<OperationResult> {
  return approveReview(ctx, id, via);
}

/**
 * Rejects a render awaiting review: `awaiting_review → failed` with the
 * error `rejected: <reason>`, and the CRM gets FAILED with that text. The
 * reason is required (blank is refused with `invalid_input`).
 */
export function rejectRender(ctx: LifecycleContext, id: number, reason: string, via?: string): Promise<OperationResult> {
  return rejectReview(ctx, id, reason, via);
}
