/** `reelay jobs` and `GET /api/renders`: the newest renders matching a filter, and how many there are per state. */
import type { Store } from '../store/db.js';
import { countRendersByState, listRenders, type RenderFilter } from '../store/list-renders.js';
import type { RenderRow } from '../store/schema.js';

export type { RenderFilter, RenderRow };

export interface RenderList {
  renders: RenderRow[];
  /** Per state, all renders matching the filter but its state and limit. */
  counts: Record<string, number>;
}

export async function listRendersWithCounts(store: Store, filter: RenderFilter): Promise<RenderList> {
  return { renders: await listRenders(store, filter), counts: await countRendersByState(store, filter) };
}
