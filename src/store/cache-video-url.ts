import type { Store } from './db.js';

/**
 * Keeps a fresh HeyGen URL for a completed render (or one awaiting review)
 * and when it stops working, for the stable link (`/v/:token`) of every
 * instance sharing the database. No other render is touched.
 */
export async function cacheVideoUrl(
  store: Store,
  renderId: number,
  fresh: { url: string; expiresAt: number },
  now: number,
): Promise<void> {
  const { db } = store;
  await db
    .updateTable('renders')
    .set({ video_url: fresh.url, video_url_expires_at: fresh.expiresAt, updated_at: now })
    .where('id', '=', renderId)
    .where('state', 'in', ['completed', 'awaiting_review'])
    .execute();
}
