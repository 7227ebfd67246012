/**
 * A verified HeyGen callback is a hint, never a fact: it only makes the
 * render due now, and the tracker reads the real status from HeyGen's API.
 * Callbacks for unknown videos or finished renders change nothing. A signed
 * callback naming a video for a render still being submitted is remembered
 * as a suggestion for v2 recovery (adopted only once HeyGen confirms it).
 */
import { parseSubmissionKey } from '../core/render-key.js';
import type { Render } from '../core/render.js';
import type { HeyGenCallbackEvent } from '../heygen/callback.js';
import { findRenderForCallback } from '../store/find-renders.js';
import type { EngineContext } from './context.js';
import { loadRender, reschedule } from './lifecycle.js';

export type CallbackOutcome = 'hinted' | 'unknown_video' | 'already_final' | 'ignored_event';

export async function acceptHeyGenCallback(
  ctx: EngineContext,
  event: HeyGenCallbackEvent,
  opts: { signed: boolean } = { signed: true },
): Promise<CallbackOutcome> {
  if (event.outcome === 'other') return 'ignored_event';
  // An unsigned callback is matched by its video id alone: the callback id it claims is not evidence of anything.
  const ref = opts.signed ? { videoId: event.videoId, callbackId: event.callbackId } : { videoId: event.videoId };
  const row = await findRenderForCallback(ctx.store, ref);
  if (!row) return 'unknown_video';
  const render = loadRender(ctx, row);
  if (render.state !== 'rendering' && render.state !== 'submitting') return 'already_final';
  const suggested = opts.signed ? suggestedVideo(render, event) : undefined;
  await reschedule(
    ctx,
    render,
    { runAt: ctx.clock.now(), keepLease: true, ...(suggested === undefined ? {} : { suggestedVideoId: suggested }) },
    `HeyGen callback: ${event.eventType}`,
  );
  ctx.wake(render.state === 'rendering' ? 'track' : 'submit');
  return 'hinted';
}

/** The video a signed callback names for the render's current submission, while HeyGen's answer is not recorded yet. */
function suggestedVideo(render: Render, event: HeyGenCallbackEvent): string | undefined {
  if (render.state !== 'submitting' || event.videoId === undefined || event.callbackId === undefined || render.content === null) return undefined;
  const sent = parseSubmissionKey(event.callbackId);
  return sent && sent.renderKey === render.content.key && sent.submission === render.submission ? event.videoId : undefined;
}
