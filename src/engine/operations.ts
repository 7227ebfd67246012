/**
 * Operator actions on renders (`reelay retry`, `reelay cancel`, `/api/*`).
 * A retry re-queues a finished-without-video render from the start; if
 * HeyGen had already taken (and failed) it, the next submission uses a new
 * idempotency key, since replaying the old one would only return the old
 * failure. Failed renders are not billed, so this never pays twice.
 */
import { isFinal, type RenderState } from '../core/states.js';
import { applyRenderChange } from '../store/apply-render-change.js';
import { failedRenderIds } from '../store/failed-render-ids.js';
import { findRender } from '../store/find-renders.js';
import type { Store } from '../store/db.js';
import type { Clock } from '../core/clock.js';
import { failedWrite, type CrmWriteContext } from './crm-writes.js';

export type OperationResult = { ok: true; state: RenderState } | { ok: false; reason: string };

const RETRYABLE: readonly RenderState[] = ['failed', 'skipped', 'cancelled'];

export async function retryRender(store: Store, clock: Clock, id: number): Promise<OperationResult> {
  const render = await findRender(store, id);
  if (!render) return { ok: false, reason: `no render ${id}` };
  if (!RETRYABLE.includes(render.state)) return { ok: false, reason: `render ${id} is ${render.state}; only failed, skipped or cancelled renders can be retried` };
  const now = clock.now();
  const moved = await applyRenderChange(
    store,
    {
      renderId: id,
      from: render.state,
      to: 'received',
      set: {
        submission: render.video_id ? render.submission + 1 : render.submission,
        video_id: null,
        heygen_status: null,
        error_code: null,
        error_message: null,
        crm_status: null,
        attempts: 0,
        run_at: now,
        finished_at: null,
      },
      note: `re-queued by an operator${render.video_id ? ` (previous HeyGen video ${render.video_id})` : ''}`,
    },
    now,
  );
  return moved ? { ok: true, state: 'received' } : { ok: false, reason: `render ${id} changed meanwhile; look again` };
}

export async function cancelRender(ctx: CrmWriteContext, id: number): Promise<OperationResult> {
  const { store, clock } = ctx;
  const render = await findRender(store, id);
  if (!render) return { ok: false, reason: `no render ${id}` };
  if (isFinal(render.state)) return { ok: false, reason: `render ${id} is already ${render.state}` };
  const now = clock.now();
  const note =
    render.state === 'rendering' || render.state === 'submitting'
      ? 'cancelled by an operator (HeyGen may still finish and bill this render)'
      : 'cancelled by an operator';
  const moved = await applyRenderChange(
    store,
    {
      renderId: id,
      from: render.state,
      to: 'cancelled',
      set: { finished_at: now },
      note,
      // The CRM already shows this render as under way: tell it no video will come.
      ...(render.crm_status ? { crm: failedWrite(ctx, render, 'cancelled', 'cancelled by an operator') } : {}),
    },
    now,
  );
  return moved ? { ok: true, state: 'cancelled' } : { ok: false, reason: `render ${id} changed meanwhile; look again` };
}

export async function retryFailed(store: Store, clock: Clock, campaignId: string | undefined): Promise<{ retried: number; refused: number }> {
  let retried = 0;
  let refused = 0;
  for (const id of await failedRenderIds(store, campaignId)) {
    const result = await retryRender(store, clock, id);
    if (result.ok) retried += 1;
    else refused += 1;
  }
  return { retried, refused };
}

