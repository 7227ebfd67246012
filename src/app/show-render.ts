/** `reelay job ID` and `GET /api/renders/:id`: one render and its timeline. */
import type { Store } from '../store/db.js';
import { findRender, renderTimeline } from '../store/find-renders.js';
import type { RenderRow, TimelineRow } from '../store/schema.js';

export type { RenderRow, TimelineRow };

export interface RenderDetail {
  render: RenderRow;
  timeline: TimelineRow[];
}

/** Undefined when there is no render with this id. */
export async function showRender(store: Store, id: number): Promise<RenderDetail | undefined> {
  const render = await findRender(store, id);
  if (!render) return undefined;
  return { render, timeline: await renderTimeline(store, id) };
}
