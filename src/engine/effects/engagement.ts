/**
 * The `engagement` effect: a record's video engagement written as the
 * properties `hubspot.properties.plays`, `watchPercent`, `lastPlayed`,
 * `ctaClicks` (SPEC "Video page and engagement").
 *
 * Reelay keeps the totals (`store/record-engagement.ts`, one row per render
 * and record); the effect only says "this record's engagement changed". When
 * it is sent, the record's properties are computed from Reelay's rows
 * (`core/engagement.ts`: plays and clicks summed over the record's renders,
 * the highest percent, the latest play), so a write whose answer was lost is
 * retried with the same absolute values: nothing is counted twice.
 *
 * Coalescing, at most one write per record per `links.flushEvery`: an event
 * queues the effect due `flushEvery` later, and events meanwhile merge into
 * it without moving it. One that arrives while the write is in flight moves
 * the row's version on, so the row stays after the write and goes out again
 * `flushEvery` after it.
 */
import { combineEngagement, engagementProperties, noEngagement, type Engagement } from '../../core/engagement.js';
import { engagementOfRecords } from '../../store/engagement-of-records.js';
import type { EngagementRow, OutboxRow } from '../../store/schema.js';
import type { EffectKind } from './kind.js';
import { handleWriteFailure } from './outcomes.js';
import { sendProperties } from './properties.js';

/** When the latest event behind the pending write arrived (epoch ms); the values come from the store. */
export interface EngagementChanged {
  at: number;
}

export const engagementKind: EffectKind<EngagementChanged> = {
  name: 'engagement',
  parse(text) {
    const value = JSON.parse(text) as Partial<EngagementChanged> | null;
    if (typeof value !== 'object' || value === null) throw new Error('engagement effect: payload is not an object');
    // The values are read from the store when sent, so any object will do (an older payload's counts are ignored).
    return { at: typeof value.at === 'number' ? value.at : 0 };
  },
  serialize: (e) => JSON.stringify({ at: e.at }),
  // Never null: the version moves on, so an event during a send is sent later.
  merge: (pending, incoming) => ({ at: Math.max(pending.at, incoming.at) }),
  async send(ctx, type, rows) {
    const totals = new Map<string, Engagement>();
    try {
      const portals = new Set(rows.map((r) => r.portal_id));
      for (const portalId of portals) {
        const found = await engagementOfRecords(ctx.store, {
          portalId,
          objectType: type,
          objectIds: rows.filter((r) => r.portal_id === portalId).map((r) => r.object_id),
        });
        for (const row of found) {
          const key = recordKey(row);
          totals.set(key, combineEngagement(totals.get(key) ?? noEngagement, engagementOfRow(row)));
        }
      }
    } catch (err) {
      await handleWriteFailure(ctx, rows, err);
      return;
    }
    const names = ctx.config.hubspot.properties;
    const nextRunAt = ctx.clock.now() + ctx.config.links.flushEvery;
    await sendProperties(ctx, type, rows, (row) => engagementProperties(totals.get(recordKey(row)) ?? noEngagement, names), nextRunAt);
  },
};

const recordKey = (row: Pick<OutboxRow | EngagementRow, 'portal_id' | 'object_id'>): string => `${row.portal_id}\u0000${row.object_id}`;

function engagementOfRow(row: EngagementRow): Engagement {
  return { plays: row.plays, maxWatchPercent: row.max_percent, lastPlayed: row.last_played > 0 ? row.last_played : null, ctaClicks: row.cta_clicks };
}
