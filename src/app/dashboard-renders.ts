/** The dashboard's render list: one page newest first, and the cursor of the next. */
import type { Store } from '../store/db.js';
import { renderPage, type RenderListItem, type RenderPageFilter } from '../store/render-page.js';

export type { RenderListItem, RenderPageFilter };

export const RENDER_PAGE_SIZE = 50;

export interface RenderListPage {
  renders: RenderListItem[];
  /** The `beforeId` of the next page; undefined on the last. */
  nextBeforeId: number | undefined;
}

export async function listRenderPage(store: Store, filter: Omit<RenderPageFilter, 'limit'>, pageSize = RENDER_PAGE_SIZE): Promise<RenderListPage> {
  // One more than a page tells whether another page follows, without counting.
  const rows = await renderPage(store, { ...filter, limit: pageSize + 1 });
  const renders = rows.slice(0, pageSize);
  return { renders, nextBeforeId: rows.length > pageSize ? renders.at(-1)?.id : undefined };
}
