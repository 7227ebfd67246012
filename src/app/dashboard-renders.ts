/** The dashboard's render list: one page newest first, and the cursor of the next. */
import { DAY_MS } from '../core/schedule.js';
import { countCreated } from '../store/count-created.js';
import type { Store } from '../store/db.js';
import { renderPage, type RenderListItem, type RenderPageFilter } from '../store/render-page.js';

export type { RenderListItem, RenderPageFilter };

export const RENDER_PAGE_SIZE = 50;

export interface RenderListPage {
  renders: RenderListItem[];
  /** The `beforeId` of the next page; undefined on the last. */
  nextBeforeId: number | undefined;
}

export async function listRenderPage(store: Store, filter: Omit<RenderPageFilter, 'limit' | 'sortMatches'>, pageSize = RENDER_PAGE_SIZE): Promise<RenderListPage> {
  // One more than a page tells whether another page follows, without counting.
  const rows = await renderPage(store, { ...filter, sortMatches: await sortMatches(store, filter), limit: pageSize + 1 });
  const renders = rows.slice(0, pageSize);
  return { renders, nextBeforeId: rows.length > pageSize ? renders.at(-1)?.id : undefined };
}

/**
 * Reading a render of the range and sorting it costs about three times what
 * passing one in the walk does (measured at a million renders, both dialects).
 */
const SORT_COST = 3;

/**
 * A first page of a created-time range: newest first by id, the walk passes
 * every render created after the range before it finds one in it, while
 * reading the range and sorting it costs the renders in it. The statistics'
 * day counts say which is less (a narrow old range: sort; up to today: walk;
 * an empty range: sort, which finds nothing at once). A later page starts
 * inside the range already: walk.
 */
async function sortMatches(store: Store, filter: Omit<RenderPageFilter, 'limit'>): Promise<boolean> {
  if (filter.beforeId !== undefined || (filter.createdFrom === undefined && filter.createdBefore === undefined)) return false;
  const counts = await countCreated(store, {
    ...(filter.createdFrom === undefined ? {} : { fromDay: Math.floor(filter.createdFrom / DAY_MS) }),
    ...(filter.createdBefore === undefined ? {} : { beforeDay: Math.ceil(filter.createdBefore / DAY_MS) }),
    ...(filter.campaignId === undefined ? {} : { campaignId: filter.campaignId }),
  });
  return counts.inRange === 0 || SORT_COST * counts.inRange < counts.after;
}
