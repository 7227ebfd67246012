import { coalesceCrmWrites, type CrmWrite } from '../core/crm-write.js';
import { outboxProperties } from './claim-outbox.js';
import type { Store } from './db.js';
import { upsertOutboxRow } from './enqueue-effect.js';

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
  await upsertOutboxRow(
    store,
    {
      target,
      kind: 'properties',
      key: '',
      renderId: write.renderId,
      payload: JSON.stringify(write.properties),
      statusRank: write.statusRank,
      notBefore,
      merge: (pending) => {
        const next = coalesceCrmWrites({ renderId: pending.render_id, properties: outboxProperties(pending), statusRank: pending.status_rank }, write);
        return !next ? null : { renderId: next.renderId, payload: JSON.stringify(next.properties), statusRank: next.statusRank };
      },
    },
    now,
  );
}
