/**
 * Operator actions on renders (`reelay retry`, `reelay cancel`, `/api/*`):
 * the checks an operator's request needs, then the lifecycle's `retry` or
 * `cancel`. A retry re-queues a finished-without-video render from the
 * start; failed renders are not billed, so this never pays twice.
 */
import { isIn } from '../core/render.js';
import { isFinal, type RenderState } from '../core/states.js';
import { failedRenderIds } from '../store/failed-render-ids.js';
import { approve, cancel, findRenderById, reject, retry, type LifecycleContext } from './lifecycle.js';

/**
 * Why an operator's action changed nothing: no such render, the render is
 * not in a state the action applies to, another change came first, or the
 * input itself is unusable (a reject without a reason).
 */
export type OperationRefusal = 'not_found' | 'wrong_state' | 'changed' | 'invalid_input';

export type OperationResult = { ok: true; state: RenderState } | { ok: false; reason: string; code?: OperationRefusal };

/** The longest rejection reason kept (it goes to the CRM's error property, shortened there if need be). */
export const MAX_REJECT_REASON_LENGTH = 1000;

/** The states an operator's retry takes a render from. */
export const RETRYABLE: readonly RenderState[] = ['failed', 'skipped', 'cancelled'];

/** `via`: where the operator acted (`the dashboard`), for the timeline. */
export async function retryRender(ctx: LifecycleContext, id: number, via?: string): Promise<OperationResult> {
  const render = await findRenderById(ctx, id);
  if (!render) return { ok: false, reason: `no render ${id}` };
  if (!RETRYABLE.includes(render.state)) return { ok: false, reason: `render ${id} is ${render.state}; only failed, skipped or cancelled renders can be retried` };
  const moved = await retry(ctx, render, via);
  return moved ? { ok: true, state: 'received' } : { ok: false, reason: `render ${id} changed meanwhile; look again` };
}

export async function cancelRender(ctx: LifecycleContext, id: number, via?: string): Promise<OperationResult> {
  const render = await findRenderById(ctx, id);
  if (!render) return { ok: false, reason: `no render ${id}` };
  if (isFinal(render.state)) return { ok: false, reason: `render ${id} is already ${render.state}` };
  const moved = await cancel(ctx, render, via);
  return moved ? { ok: true, state: 'cancelled' } : { ok: false, reason: `render ${id} changed meanwhile; look again` };
}

export async function retryFailed(ctx: LifecycleContext, campaignId: string | undefined, via?: string): Promise<{ retried: number; refused: number }> {
  let retried = 0;
  let refused = 0;
  for (const id of await failedRenderIds(ctx.store, campaignId)) {
    const result = await retryRender(ctx, id, via);
    if (result.ok) retried += 1;
    else refused += 1;
  }
  return { retried, refused };
}

/** `awaiting_review → completed`: the video and its link go to the CRM as a normal completion does. */
export async function approveReview(ctx: LifecycleContext, id: number, via?: string): Promise<OperationResult> {
  const render = await findRenderById(ctx, id);
  if (!render) return { ok: false, code: 'not_found', reason: `no render ${id}` };
  if (!isIn(render, 'awaiting_review')) return { ok: false, code: 'wrong_state', reason: notAwaiting(id, render.state) };
  if (!render.reviewLink) return { ok: false, code: 'wrong_state', reason: `render ${id} has no link to write back; retry it` };
  const moved = await approve(ctx, render, via);
  return moved ? { ok: true, state: 'completed' } : { ok: false, code: 'changed', reason: `render ${id} changed meanwhile; look again` };
}

/** `awaiting_review → failed` with `rejected: <reason>`; the reason is required. */
export async function rejectReview(ctx: LifecycleContext, id: number, reason: string, via?: string): Promise<OperationResult> {
  const why = reason.replace(/\s+/g, ' ').trim();
  if (why === '') return { ok: false, code: 'invalid_input', reason: 'a rejection needs a reason' };
  if (why.includes('\u0000')) return { ok: false, code: 'invalid_input', reason: 'the reason must not contain NUL characters' };
  if (why.length > MAX_REJECT_REASON_LENGTH) return { ok: false, code: 'invalid_input', reason: `the reason is ${why.length} characters, over the limit of ${MAX_REJECT_REASON_LENGTH}` };
  const render = await findRenderById(ctx, id);
  if (!render) return { ok: false, code: 'not_found', reason: `no render ${id}` };
  if (!isIn(render, 'awaiting_review')) return { ok: false, code: 'wrong_state', reason: notAwaiting(id, render.state) };
  const moved = await reject(ctx, render, why, via);
  return moved ? { ok: true, state: 'failed' } : { ok: false, code: 'changed', reason: `render ${id} changed meanwhile; look again` };
}

function notAwaiting(id: number, state: RenderState): string {
  return `render ${id} is ${state}, not awaiting_review; only a render awaiting review can be approved or rejected`;
}
