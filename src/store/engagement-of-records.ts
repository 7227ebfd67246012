import type { Store } from './db.js';
import type { EngagementRow } from './schema.js';

/** The engagement rows (one per render) of these records of one type in one portal. */
export async function engagementOfRecords(store: Store, input: { portalId: string; objectType: string; objectIds: readonly string[] }): Promise<EngagementRow[]> {
  if (input.objectIds.length === 0) return [];
  const { db } = store;
  return db
    .selectFrom('engagement')
    .selectAll()
    .where('portal_id', '=', input.portalId)
    .where('object_type', '=', input.objectType)
    .where('object_id', 'in', [...input.objectIds])
    .execute();
}
