import type { Kysely } from 'kysely';
import { parseSubmissionKey } from '../core/render-key.js';
import type { Database, RenderRow, TimelineRow } from './schema.js';

export function findRender(db: Kysely<Database>, id: number): Promise<RenderRow | undefined> {
  return db.selectFrom('renders').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The render a HeyGen callback is about: by video id, else by the callback id we sent (the render key, or key:n). */
export async function findRenderForCallback(
  db: Kysely<Database>,
  ref: { videoId?: string | undefined; callbackId?: string | undefined },
): Promise<RenderRow | undefined> {
  if (ref.videoId) {
    const byVideo = await db.selectFrom('renders').selectAll().where('video_id', '=', ref.videoId).executeTakeFirst();
    if (byVideo) return byVideo;
  }
  const sent = ref.callbackId === undefined ? undefined : parseSubmissionKey(ref.callbackId);
  if (sent) return db.selectFrom('renders').selectAll().where('render_key', '=', sent.renderKey).executeTakeFirst();
  return undefined;
}

export function findRenderByKey(db: Kysely<Database>, renderKey: string): Promise<RenderRow | undefined> {
  return db.selectFrom('renders').selectAll().where('render_key', '=', renderKey).executeTakeFirst();
}

export function findRenderByLinkToken(db: Kysely<Database>, token: string): Promise<RenderRow | undefined> {
  return db.selectFrom('renders').selectAll().where('link_token', '=', token).executeTakeFirst();
}

export function renderTimeline(db: Kysely<Database>, renderId: number): Promise<TimelineRow[]> {
  return db.selectFrom('render_timeline').selectAll().where('render_id', '=', renderId).orderBy('id').execute();
}

/**
 * Whether the render was sent toward HeyGen before its current submission
 * (its timeline shows more than one move to `submitting`): after an
 * operator's retry, a v2 render must be looked for before it is created again.
 */
export async function submittedBefore(db: Kysely<Database>, renderId: number): Promise<boolean> {
  const row = await db
    .selectFrom('render_timeline')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('render_id', '=', renderId)
    .where('to_state', '=', 'submitting')
    .where('from_state', '=', 'enriched')
    .executeTakeFirstOrThrow();
  return Number(row.n) > 1;
}
