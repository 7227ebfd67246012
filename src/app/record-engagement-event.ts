/**
 * `POST /v/:token/events`: one event from the video page's player (SPEC
 * "Video page and engagement"). Checked in this order, each refusal storing
 * nothing: the body (400), the link token (404: no finished render has it),
 * the token's rate (429, over 60 events a minute). An accepted event is added
 * to the render's totals and queues the records' engagement write due
 * `links.flushEvery` later, in one transaction. Nothing about the sender
 * (address, cookies, agent) is read or kept.
 */
import { engagementOfEvent, parseEngagementEvent, type EngagementEventType } from '../core/engagement.js';
import { RollingLimit } from '../core/rolling-limit.js';
import { planOf } from '../engine/crm-writes.js';
import { engagementKind } from '../engine/effects/engagement.js';
import { effectOf } from '../engine/effects/kind.js';
import type { EngineContext } from '../engine/context.js';
import { loadRender } from '../engine/lifecycle.js';
import { findLinkedRender } from '../engine/stable-links.js';
import { recordEngagement } from '../store/record-engagement.js';

/** Events one link token may send per minute (SPEC). */
export const EVENTS_PER_MINUTE = 60;

export type EngagementEventOutcome =
  | { kind: 'recorded'; type: EngagementEventType }
  | { kind: 'invalid'; message: string }
  | { kind: 'not_found' }
  | { kind: 'rate_limited'; retryAfterSeconds: number };

/** The per-token event budget of this process. */
export function engagementRateLimit(): RollingLimit {
  return new RollingLimit(EVENTS_PER_MINUTE, 60_000);
}

export async function recordEngagementEvent(
  ctx: Pick<EngineContext, 'store' | 'clock' | 'config'>,
  limit: RollingLimit,
  token: string,
  body: string,
): Promise<EngagementEventOutcome> {
  const parsed = parseEngagementEvent(body);
  if (!parsed.ok) return { kind: 'invalid', message: parsed.message };
  const row = await findLinkedRender(ctx.store, token);
  // A video waiting for review is watched by its reviewer, not by the person: nothing to count.
  if (!row || row.state !== 'completed') return { kind: 'not_found' };
  const now = ctx.clock.now();
  const allowed = limit.take(token, now);
  if (!allowed.ok) return { kind: 'rate_limited', retryAfterSeconds: Math.max(1, Math.ceil(allowed.retryAfterMs / 1000)) };

  const render = loadRender(ctx, row);
  const targets = planOf(ctx, render).writeback.targets.map((t) => ({ portalId: render.portalId, ...t }));
  const added = engagementOfEvent(parsed.event, now);
  await recordEngagement(ctx.store, {
    renderId: render.id,
    targets,
    increment: { plays: added.plays, maxPercent: added.maxWatchPercent, lastPlayed: added.lastPlayed ?? 0, ctaClicks: added.ctaClicks },
    effects: targets.map((target) =>
      effectOf(engagementKind, { target, renderId: render.id, payload: { at: now }, notBefore: now + ctx.config.links.flushEvery }),
    ),
    now,
  });
  return { kind: 'recorded', type: parsed.event.type };
}
