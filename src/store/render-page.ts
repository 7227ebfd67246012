/**
 * One page of the dashboard's render list, newest first, paged by id
 * (keyset: `beforeId` is the last id of the previous page), so a deep page
 * costs what the first does. Only the columns a list shows are read.
 */
import { sql } from 'kysely';
import type { RenderState } from '../core/states.js';
import type { Store } from './db.js';

export interface RenderPageFilter {
  campaignId?: string;
  state?: RenderState;
  objectType?: string;
  /** Created at or after (epoch ms). */
  createdFrom?: number;
  /** Created before (epoch ms). */
  createdBefore?: number;
  /** Renders with a smaller id than this (the next page). */
  beforeId?: number;
  /**
   * Read the renders that match (through the created-time range) and sort
   * them, instead of walking the ids newest first until a page matches:
   * faster when the range holds far fewer renders than were created after
   * it.
   * (Neither planner knows that ids grow with creation time, so neither
   * can tell on its own.) The same renders either way.
   */
  sortMatches?: boolean;
  limit: number;
}

export interface RenderListItem {
  id: number;
  campaign_id: string;
  object_type: string;
  object_id: string;
  state: RenderState;
  title: string | null;
  error_code: string | null;
  error_message: string | null;
  created_at: number;
  finished_at: number | null;
}

export function renderPage(store: Store, filter: RenderPageFilter): Promise<RenderListItem[]> {
  let q = store.db
    .selectFrom('renders')
    .select(['id', 'campaign_id', 'object_type', 'object_id', 'state', 'title', 'error_code', 'error_message', 'created_at', 'finished_at'])
    // `id + 0` orders alike but is no index's order: the planner has to find the matches first.
    .orderBy(filter.sortMatches ? sql`id + 0` : sql.ref('id'), 'desc')
    .limit(filter.limit);
  if (filter.campaignId !== undefined) q = q.where('campaign_id', '=', filter.campaignId);
  if (filter.state !== undefined) q = q.where('state', '=', filter.state);
  if (filter.objectType !== undefined) q = q.where('object_type', '=', filter.objectType);
  if (filter.createdFrom !== undefined) q = q.where('created_at', '>=', filter.createdFrom);
  if (filter.createdBefore !== undefined) q = q.where('created_at', '<', filter.createdBefore);
  if (filter.beforeId !== undefined) q = q.where('id', '<', filter.beforeId);
  return q.execute();
}
