/**
 * A verified HeyGen callback is a hint, never a fact: it only makes the
 * render due now, and the tracker reads the real status from HeyGen's API.
 * Callbacks for unknown videos or finished renders change nothing.
 */
import type { HeyGenCallbackEvent } from '../heygen/callback.js';
import { applyRenderChange } from '../store/apply-render-change.js';
import { findRenderForCallback } from '../store/find-renders.js';
import type { EngineContext } from './context.js';

export type CallbackOutcome = 'hinted' | 'unknown_video' | 'already_final' | 'ignored_event';

export async function acceptHeyGenCallback(
  ctx: EngineContext,
  event: HeyGenCallbackEvent,
  opts: { signed: boolean } = { signed: true },
): Promise<CallbackOutcome> {
  if (event.outcome === 'other') return 'ignored_event';
  // An unsigned callback is matched by its video id alone: the callback id it claims is not evidence of anything.
  const ref = opts.signed ? { videoId: event.videoId, callbackId: event.callbackId } : { videoId: event.videoId };
  const render = await findRenderForCallback(ctx.store, ref);
  if (!render) return 'unknown_video';
  if (render.state !== 'rendering' && render.state !== 'submitting') return 'already_final';
  const now = ctx.clock.now();
  await applyRenderChange(
    ctx.store,
    { renderId: render.id, from: render.state, set: { run_at: now }, note: `HeyGen callback: ${event.eventType}`, keepLease: true },
    now,
  );
  ctx.wake(render.state === 'rendering' ? 'track' : 'submit');
  return 'hinted';
}
