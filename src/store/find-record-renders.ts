import { liveStates, reviewStates } from '../core/states.js';
import type { Store } from './db.js';
import type { RenderRow } from './schema.js';

/** A record's renders that are still under way or wait for review (of the given portals, or of every portal). */
export function liveRendersOfRecord(store: Store, ref: { objectType: string; objectId: string; portalIds?: string[] }): Promise<RenderRow[]> {
  const portals = ref.portalIds;
  return store.db
    .selectFrom('renders')
    .selectAll()
    .where('object_type', '=', ref.objectType)
    .where('object_id', '=', ref.objectId)
    .where('state', 'in', [...liveStates, ...reviewStates])
    .$if(portals !== undefined, (q) => q.where('portal_id', 'in', portals as string[]))
    .orderBy('id')
    .execute();
}
