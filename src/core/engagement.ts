/**
 * Video engagement (SPEC "Video page and engagement"): the events the video
 * page's player posts, what one event adds to a render's totals, and how the
 * totals of several renders on one CRM record combine into the record's
 * properties. Pure: no I/O, time passed in.
 *
 * Counted: `play` (a play started: plays + 1, last played = now), `progress`
 * and `complete` (the highest percent watched; `complete` is 100), `cta` (a
 * call-to-action click). A GET of the page counts nothing.
 *
 * Several renders on one record (two campaigns, or a re-render with changed
 * inputs) combine as: plays and CTA clicks summed, the highest percent
 * watched of any of them, the latest play of any of them.
 */
import { z } from 'zod';

export const engagementEventTypes = ['play', 'progress', 'complete', 'cta'] as const;
export type EngagementEventType = (typeof engagementEventTypes)[number];

/** The body of `POST /v/:token/events`. */
export const engagementEventSchema = z.strictObject({
  type: z.enum(engagementEventTypes),
  percent: z.number().min(0).max(100).optional(),
});
export type EngagementEvent = z.infer<typeof engagementEventSchema>;

/** A render's (or a record's) engagement; also what one event adds. */
export interface Engagement {
  plays: number;
  /** 0-100, whole percent. */
  maxWatchPercent: number;
  /** Epoch ms of the last play, or null. */
  lastPlayed: number | null;
  ctaClicks: number;
}

export const noEngagement: Engagement = { plays: 0, maxWatchPercent: 0, lastPlayed: null, ctaClicks: 0 };

export type ParsedEngagementEvent = { ok: true; event: EngagementEvent } | { ok: false; message: string };

/** Reads a posted body (JSON text, whatever its content type said); never throws. */
export function parseEngagementEvent(text: string): ParsedEngagementEvent {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, message: 'body is not JSON' };
  }
  const parsed = engagementEventSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? issue.path.join('.') : 'body';
    return { ok: false, message: `${where}: ${issue?.message ?? 'invalid'}` };
  }
  return { ok: true, event: parsed.data };
}

/** What one event adds to its render's totals, at `now`. */
export function engagementOfEvent(event: EngagementEvent, now: number): Engagement {
  const percent = event.type === 'complete' ? 100 : Math.floor(event.percent ?? 0);
  switch (event.type) {
    case 'play':
      return { plays: 1, maxWatchPercent: percent, lastPlayed: now, ctaClicks: 0 };
    case 'progress':
    case 'complete':
      return { ...noEngagement, maxWatchPercent: percent };
    case 'cta':
      return { ...noEngagement, ctaClicks: 1 };
  }
}

/** Two totals as one: counts summed, the highest percent, the latest play (an event onto a render, or renders onto a record). */
export function combineEngagement(a: Engagement, b: Engagement): Engagement {
  return {
    plays: a.plays + b.plays,
    maxWatchPercent: Math.max(a.maxWatchPercent, b.maxWatchPercent),
    lastPlayed: a.lastPlayed === null ? b.lastPlayed : b.lastPlayed === null ? a.lastPlayed : Math.max(a.lastPlayed, b.lastPlayed),
    ctaClicks: a.ctaClicks + b.ctaClicks,
  };
}

/** The CRM property values of a record's engagement (`names`: `hubspot.properties`); last played only once there was a play. */
export function engagementProperties(
  e: Engagement,
  names: { plays: string; watchPercent: string; lastPlayed: string; ctaClicks: string },
): Record<string, string> {
  return {
    [names.plays]: String(e.plays),
    [names.watchPercent]: String(Math.round(e.maxWatchPercent)),
    [names.ctaClicks]: String(e.ctaClicks),
    ...(e.lastPlayed === null ? {} : { [names.lastPlayed]: new Date(e.lastPlayed).toISOString() }),
  };
}
