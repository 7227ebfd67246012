import { sql } from 'kysely';
import { inTransaction, type Store } from './db.js';
import { enqueueEffect, type EffectChange } from './enqueue-effect.js';
import type { CrmTarget } from './enqueue-crm-write.js';

/** What one video-page event adds to a render's engagement (`last_played` 0: no play). */
export interface EngagementIncrement {
  plays: number;
  maxPercent: number;
  lastPlayed: number;
  ctaClicks: number;
}

/**
 * Adds one event to a render's totals on each record it writes back to, and
 * queues (or coalesces into) the records' engagement write, in one
 * transaction: an event answered 204 is counted and will reach the CRM.
 */
export async function recordEngagement(
  store: Store,
  input: { renderId: number; targets: readonly CrmTarget[]; increment: EngagementIncrement; effects: readonly EffectChange[]; now: number },
): Promise<void> {
  const greatest = sql.raw(store.dialect === 'postgres' ? 'greatest' : 'max');
  const { increment: add } = input;
  await store.db.transaction().execute(async (trx) => {
    for (const target of input.targets) {
      await trx
        .insertInto('engagement')
        .values({
          render_id: input.renderId,
          portal_id: target.portalId,
          object_type: target.objectType,
          object_id: target.objectId,
          plays: add.plays,
          max_percent: add.maxPercent,
          last_played: add.lastPlayed,
          cta_clicks: add.ctaClicks,
          updated_at: input.now,
        })
        .onConflict((oc) =>
          oc.columns(['render_id', 'portal_id', 'object_type', 'object_id']).doUpdateSet({
            plays: sql<number>`engagement.plays + ${add.plays}`,
            max_percent: sql<number>`${greatest}(engagement.max_percent, ${add.maxPercent})`,
            last_played: sql<number>`${greatest}(engagement.last_played, ${add.lastPlayed})`,
            cta_clicks: sql<number>`engagement.cta_clicks + ${add.ctaClicks}`,
            updated_at: input.now,
          }),
        )
        .execute();
    }
    for (const effect of input.effects) await enqueueEffect(inTransaction(store, trx), effect, input.now);
  });
}
