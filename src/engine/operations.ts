/**
 * Operator actions on renders (`reelay retry`, `reelay cancel`, `/api/*`):
 * the checks an operator's request needs, then the lifecycle's `retry` or
 * `cancel`. A retry re-queues a finished-without-video render from the
 * start; failed renders are not billed, so this never pays twice.
 */
import { isFinal, type RenderState } from '../core/states.js';
import { failedRenderIds } from '../store/failed-render-ids.js';
import { cancel, findRenderById, retry, type LifecycleContext } from './lifecycle.js';

export type OperationResult = { ok: true; state: RenderState } | { ok: false; reason: string };

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
