import { parseSubmissionKey } from '../core/render-key.js';
import type { RenderRow, TimelineRow } from './schema.js';
import type { Store } from './db.js';

export function findRender(store: Store, id: number): Promise<RenderRow | undefined> {
  const { db } = store;
  return db.selectFrom('renders').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The render a HeyGen callback is about: by video id, else by the callback id we sent (the render key, or key:n). */
export async function findRenderForCallback(
  store: Store,
  ref: { videoId?: string | undefined; callbackId?: string | undefined },
): Promise<RenderRow | undefined> {
  const { db } = store;
  if (ref.videoId) {
    const byVideo = await db.selectFrom('renders').selectAll().where('video_id', '=', ref.videoId).executeTakeFirst();
    if (byVideo) return byVideo;
  }
  const sent = ref.callbackId === undefined ? undefined : parseSubmissionKey(ref.callbackId);
  if (sent) return db.selectFrom('renders').selectAll().where('render_key', '=', sent.renderKey).executeTakeFirst();
  return undefined;
}

export function findRenderByKey(store: Store, renderKey: string): Promise<RenderRow | undefined> {
  const { db } = store;
  return db.selectFrom('renders').selectAll().where('render_key', '=', renderKey).executeTakeFirst();
}

export function findRenderByLinkToken(store: Store, token: string): Promise<RenderRow | undefined> {
  const { db } = store;
  return db.selectFrom('renders').selectAll().where('link_token', '=', token).executeTakeFirst();
}

export function renderTimeline(store: Store, renderId: number): Promise<TimelineRow[]> {
  const { db } = store;
  return db.selectFrom('render_timeline').selectAll().where('render_id', '=', renderId).orderBy('id').execute();
}

/**
 * Whether the render was sent toward HeyGen before its current submission
 * (its timeline shows more than one move to `submitting`): after an
 * operator's retry, a v2 render must be looked for before it is created again.
 */
export async function submittedBefore(store: Store, renderId: number): Promise<boolean> {
  const { db } = store;
  const row = await db
    .selectFrom('render_timeline')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('render_id', '=', renderId)
    .where('to_state', '=', 'submitting')
    .where('from_state', '=', 'enriched')
    .executeTakeFirstOrThrow();
  return Number(row.n) > 1;
}
