import { PRIVACY_EVENT_KIND } from '../core/erasure.js';
import type { Store } from './db.js';

export interface PrivacyRequest {
  eventId: number;
  portalId: string;
  objectType: string;
  objectId: string;
}

/** HubSpot privacy deletions stored and not yet acted on (the erasure deletes the event with the rest), oldest first. */
export async function pendingPrivacyEvents(store: Store, limit: number): Promise<PrivacyRequest[]> {
  const rows = await store.db
    .selectFrom('events')
    .select(['id', 'portal_id', 'object_type', 'object_id'])
    .where('kind', '=', PRIVACY_EVENT_KIND)
    .where('status', '=', 'accepted')
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.flatMap((r) => (r.object_type !== null && r.object_id !== null ? [{ eventId: r.id, portalId: r.portal_id, objectType: r.object_type, objectId: r.object_id }] : []));
}
