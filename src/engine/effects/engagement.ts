/**
 * The `engagement` effect: a record's video engagement counters, merged
 * while they wait (plays and CTA clicks add up; watch percent and last play
 * keep the highest) and written as the properties `hubspot.properties.plays`,
 * `watchPercent`, `lastPlayed`, `ctaClicks` (SPEC "Video page and
 * engagement"). The CRM holds the totals: sending reads the records' current
 * values (one batch read) and writes them merged with the pending counters
 * (one batch update). Known limit: a batch update HubSpot applied but whose
 * answer was lost is retried on a fresh read, so its counts are added twice;
 * exact totals need Reelay to keep them (absolute values merge by max).
 */
import type { ReelayConfig } from '../../config/schema.js';
import { hubspotCall } from '../provider-calls.js';
import type { EffectKind } from './kind.js';
import { handleWriteFailure } from './outcomes.js';
import { sendProperties } from './properties.js';

export interface Engagement {
  plays: number;
  /** 0-100. */
  maxWatchPercent: number;
  /** Epoch ms of the last play, or null. */
  lastPlayed: number | null;
  ctaClicks: number;
}

export const noEngagement: Engagement = { plays: 0, maxWatchPercent: 0, lastPlayed: null, ctaClicks: 0 };

export function mergeEngagement(a: Engagement, b: Engagement): Engagement {
  return {
    plays: a.plays + b.plays,
    maxWatchPercent: Math.max(a.maxWatchPercent, b.maxWatchPercent),
    lastPlayed: a.lastPlayed === null ? b.lastPlayed : b.lastPlayed === null ? a.lastPlayed : Math.max(a.lastPlayed, b.lastPlayed),
    ctaClicks: a.ctaClicks + b.ctaClicks,
  };
}

const count = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0);
const percent = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? Math.min(100, Math.max(0, value)) : 0);

export const engagementKind: EffectKind<Engagement> = {
  name: 'engagement',
  parse(text) {
    const value = JSON.parse(text) as Record<string, unknown>;
    if (typeof value !== 'object' || value === null) throw new Error('engagement effect: payload is not an object');
    return {
      plays: count(value.plays),
      maxWatchPercent: percent(value.maxWatchPercent),
      lastPlayed: typeof value.lastPlayed === 'number' && Number.isFinite(value.lastPlayed) ? value.lastPlayed : null,
      ctaClicks: count(value.ctaClicks),
    };
  },
  serialize: (e) => JSON.stringify(e),
  merge: mergeEngagement,
  async send(ctx, type, rows) {
    const names = ctx.config.hubspot.properties;
    let current: Map<string, Engagement>;
    try {
      const read = await hubspotCall(ctx, () =>
        ctx.hubspot.batchRead(
          type,
          rows.map((r) => r.object_id),
          [names.plays, names.watchPercent, names.lastPlayed, names.ctaClicks],
        ),
      );
      current = new Map(read.records.map((r) => [r.id, fromProperties(r.properties, names)]));
    } catch (err) {
      await handleWriteFailure(ctx, rows, err);
      return;
    }
    await sendProperties(ctx, type, rows, (row) =>
      toProperties(mergeEngagement(current.get(row.object_id) ?? noEngagement, engagementKind.parse(row.properties)), names),
    );
  },
};

type Names = ReelayConfig['hubspot']['properties'];

/** The record's totals as the CRM holds them (absent or unreadable values count as none). */
export function fromProperties(props: Record<string, string | null | undefined>, names: Names): Engagement {
  const number = (name: string): number => {
    const n = Number(props[name] ?? '');
    return props[name] ? (Number.isFinite(n) ? n : 0) : 0;
  };
  const last = props[names.lastPlayed];
  const lastMs = last ? (/^\d+$/.test(last) ? Number(last) : Date.parse(last)) : NaN;
  return {
    plays: count(number(names.plays)),
    maxWatchPercent: percent(number(names.watchPercent)),
    lastPlayed: Number.isFinite(lastMs) ? lastMs : null,
    ctaClicks: count(number(names.ctaClicks)),
  };
}

export function toProperties(e: Engagement, names: Names): Record<string, string> {
  return {
    [names.plays]: String(e.plays),
    [names.watchPercent]: String(Math.round(e.maxWatchPercent)),
    [names.ctaClicks]: String(e.ctaClicks),
    ...(e.lastPlayed === null ? {} : { [names.lastPlayed]: new Date(e.lastPlayed).toISOString() }),
  };
}
