/** `reelay jobs` and `GET /api/renders`: the newest renders matching a filter, and how many there are per state. */
import type { Store } from '../store/db.js';
import { countRendersByState, listRenders, type RenderFilter } from '../store/list-renders.js';
import { readStateCounts } from '../store/read-render-stats.js';
import type { RenderRow } from '../store/schema.js';

export type { RenderFilter, RenderRow };

export interface RenderList {
  renders: RenderRow[];
  /** Per state, all renders matching the filter but its state and limit. */
  counts: Record<string, number>;
}

export async function listRendersWithCounts(store: Store, filter: RenderFilter): Promise<RenderList> {
  return { renders: await listRenders(store, filter), counts: await countByState(store, filter) };
}

/**
 * Renders per state matching a filter (its state and limit aside). For all
 * renders, or one campaign's, the render statistics answer exactly without
 * counting a million rows; a record or object type is counted from its rows.
 */
export async function countByState(store: Store, filter: Omit<RenderFilter, 'state' | 'limit'> = {}): Promise<Record<string, number>> {
  if (filter.objectType || filter.objectId) return countRendersByState(store, filter);
  return readStateCounts(store, filter.campaignId || undefined);
}
