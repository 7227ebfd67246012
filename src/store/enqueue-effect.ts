import { inTransaction, type Store } from './db.js';
import type { CrmTarget } from './enqueue-crm-write.js';

/**
 * An effect of a kind other than `properties` (those go through
 * `enqueueCrmWrite`): the store knows its kind, key and payload text; the
 * kind's `merge` (from `engine/effects`) says what stands when one is
 * already pending for the same record, kind and key (null: keep it as is).
 */
export interface EffectChange {
  target: CrmTarget;
  kind: string;
  /** '' when the kind keeps one effect per record. */
  key: string;
  renderId: number;
  payload: string;
  merge: (pending: string, incoming: string) => string | null;
  notBefore: number;
}

/** Queues one effect, coalescing with the pending one; call inside the transaction that causes it. */
export async function enqueueEffect(store: Store, effect: EffectChange, now: number): Promise<void> {
  const { db: trx, dialect } = store;
  const { target } = effect;
  // The pending row may be sent and deleted between our insert attempt and our read: then insert afresh.
  for (;;) {
    const inserted = await trx
      .insertInto('outbox')
      .values({
        portal_id: target.portalId,
        object_type: target.objectType,
        object_id: target.objectId,
        kind: effect.kind,
        effect_key: effect.key,
        render_id: effect.renderId,
        properties: effect.payload,
        status_rank: 0,
        version: 1,
        attempts: 0,
        run_at: effect.notBefore,
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) => oc.columns(['portal_id', 'object_type', 'object_id', 'kind', 'effect_key']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (inserted) return;

    let query = trx
      .selectFrom('outbox')
      .selectAll()
      .where('portal_id', '=', target.portalId)
      .where('object_type', '=', target.objectType)
      .where('object_id', '=', target.objectId)
      .where('kind', '=', effect.kind)
      .where('effect_key', '=', effect.key);
    if (dialect === 'postgres') query = query.forUpdate();
    const pending = await query.executeTakeFirst();
    if (!pending) continue;
    const merged = effect.merge(pending.properties, effect.payload);
    if (merged === null) return;
    await trx
      .updateTable('outbox')
      .set({
        render_id: Math.max(pending.render_id, effect.renderId),
        properties: merged,
        version: pending.version + 1,
        run_at: pending.attempts > 0 ? pending.run_at : Math.min(pending.run_at, effect.notBefore),
        updated_at: now,
      })
      .where('id', '=', pending.id)
      .execute();
    return;
  }
}

/** Queues effects that belong to no render change (e.g. engagement from the video page), in one transaction. */
export async function enqueueEffects(store: Store, effects: readonly EffectChange[], now: number): Promise<void> {
  if (effects.length === 0) return;
  await store.db.transaction().execute(async (trx) => {
    for (const effect of effects) await enqueueEffect(inTransaction(store, trx), effect, now);
  });
}
