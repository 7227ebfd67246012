import { coalesceCrmWrites, type CrmWrite } from '../core/crm-write.js';
import { outboxProperties } from './claim-outbox.js';
import type { Store } from './db.js';

export interface CrmTarget {
  portalId: string;
  objectType: string;
  objectId: string;
}

/**
 * Queues a property write (the `properties` effect) for one record, coalescing with the write already
 * pending for it (see `coalesceCrmWrites`). Call inside the transaction that
 * changes the render, so the write and the state change land together.
 * `notBefore` delays the send a little so companions can fill a batch.
 */
export async function enqueueCrmWrite(
  store: Store,
  target: CrmTarget,
  write: CrmWrite,
  now: number,
  notBefore: number,
): Promise<void> {
  const { db: trx, dialect } = store;
  // The pending row may be sent and deleted between our insert attempt and
  // our read (another worker's write-back): then insert afresh.
  for (;;) {
    const inserted = await trx
      .insertInto('outbox')
      .values({
        portal_id: target.portalId,
        object_type: target.objectType,
        object_id: target.objectId,
        kind: 'properties',
        effect_key: '',
        render_id: write.renderId,
        properties: JSON.stringify(write.properties),
        status_rank: write.statusRank,
        version: 1,
        attempts: 0,
        run_at: notBefore,
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
      .where('kind', '=', 'properties')
      .where('effect_key', '=', '');
    if (dialect === 'postgres') query = query.forUpdate();
    const pending = await query.executeTakeFirst();
    if (!pending) continue;
    const next = coalesceCrmWrites(
      { renderId: pending.render_id, properties: outboxProperties(pending), statusRank: pending.status_rank },
      write,
    );
    if (!next) return;
    await trx
      .updateTable('outbox')
      .set({
        render_id: next.renderId,
        properties: JSON.stringify(next.properties),
        status_rank: next.statusRank,
        version: pending.version + 1,
        // A write that was failing keeps its backoff; a fresh one goes out soon.
        run_at: pending.attempts > 0 ? pending.run_at : Math.min(pending.run_at, notBefore),
        updated_at: now,
      })
      .where('id', '=', pending.id)
      .execute();
    return;
  }
}
