import { inTransaction, type Store } from './db.js';
import type { OutboxRow } from './schema.js';
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

/** One outbox row to insert, or to merge into the row already pending for the same record, kind and key. */
export interface OutboxUpsert {
  target: CrmTarget;
  kind: string;
  key: string;
  renderId: number;
  payload: string;
  statusRank: number;
  notBefore: number;
  /** What replaces the pending row (null: keep it as it is). */
  merge: (pending: OutboxRow) => { renderId: number; payload: string; statusRank: number } | null;
}

/**
 * The one insert-or-coalesce of the outbox, for every effect kind. Call
 * inside the transaction that causes the effect. A write that was failing
 * keeps its backoff; a fresh one goes out at the earlier of the two times.
 */
export async function upsertOutboxRow(store: Store, row: OutboxUpsert, now: number): Promise<void> {
  const { db: trx, dialect } = store;
  const { target } = row;
  // The pending row may be sent and deleted between our insert attempt and our read: then insert afresh.
  for (;;) {
    const inserted = await trx
      .insertInto('outbox')
      .values({
        portal_id: target.portalId,
        object_type: target.objectType,
        object_id: target.objectId,
        kind: row.kind,
        effect_key: row.key,
        render_id: row.renderId,
        properties: row.payload,
        status_rank: row.statusRank,
        version: 1,
        attempts: 0,
        run_at: row.notBefore,
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
      .where('kind', '=', row.kind)
      .where('effect_key', '=', row.key);
    if (dialect === 'postgres') query = query.forUpdate();
    const pending = await query.executeTakeFirst();
    if (!pending) continue;
    const merged = row.merge(pending);
    if (merged === null) return;
    await trx
      .updateTable('outbox')
      .set({
        render_id: merged.renderId,
        properties: merged.payload,
        status_rank: merged.statusRank,
        version: pending.version + 1,
        run_at: pending.attempts > 0 ? pending.run_at : Math.min(pending.run_at, row.notBefore),
        updated_at: now,
      })
      .where('id', '=', pending.id)
      .execute();
    return;
  }
}

/** Queues one effect, coalescing with the pending one; call inside the transaction that causes it. */
export async function enqueueEffect(store: Store, effect: EffectChange, now: number): Promise<void> {
  await upsertOutboxRow(
    store,
    {
      target: effect.target,
      kind: effect.kind,
      key: effect.key,
      renderId: effect.renderId,
      payload: effect.payload,
      statusRank: 0,
      notBefore: effect.notBefore,
      merge: (pending) => {
        const merged = effect.merge(pending.properties, effect.payload);
        return merged === null ? null : { renderId: Math.max(pending.render_id, effect.renderId), payload: merged, statusRank: pending.status_rank };
      },
    },
    now,
  );
}

/** Queues effects that belong to no render change (e.g. engagement from the video page), in one transaction. */
export async function enqueueEffects(store: Store, effects: readonly EffectChange[], now: number): Promise<void> {
  if (effects.length === 0) return;
  await store.db.transaction().execute(async (trx) => {
    for (const effect of effects) await enqueueEffect(inTransaction(store, trx), effect, now);
  });
}
