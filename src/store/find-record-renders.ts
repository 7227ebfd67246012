import { liveStates } from '../core/states.js';
import type { Store } from './db.js';
import type { RenderRow } from './schema.js';

/** A record's renders that are still under way (one portal's, or every portal's when none is given). */
export function liveRendersOfRecord(store: Store, ref: { objectType: string; objectId: string; portalId?: string }): Promise<RenderRow[]> {
  const portal = ref.portalId;
  return store.db
    .selectFrom('renders')
    .selectAll()
    .where('object_type', '=', ref.objectType)
    .where('object_id', '=', ref.objectId)
    .where('state', 'in', liveStates)
    .$if(portal !== undefined, (q) => q.where('portal_id', '=', portal as string))
    .orderBy('id')
    .execute();
}
