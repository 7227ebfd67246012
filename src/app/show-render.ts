/** `reelay job ID` and `GET /api/renders/:id`: one render and its timeline. */
import type { Store } from '../store/db.js';
import { findRender, renderTimeline } from '../store/find-renders.js';
import { variantOf } from '../store/render-mapper.js';
import type { RenderRow, TimelineRow } from '../store/schema.js';

export type { RenderRow, TimelineRow };

export interface RenderDetail {
  render: RenderRow;
  /** The campaign variant it renders (`variants:`), or null for the campaign's own template (or before enrichment). */
  variant: string | null;
  timeline: TimelineRow[];
}

/** Undefined when there is no render with this id. */
export async function showRender(store: Store, id: number): Promise<RenderDetail | undefined> {
  const render = await findRender(store, id);
  if (!render) return undefined;
  return { render, variant: variantOf(render), timeline: await renderTimeline(store, id) };
}
