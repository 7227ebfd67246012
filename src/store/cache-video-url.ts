import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/**
 * Keeps a fresh HeyGen URL for a completed render and when it stops working,
 * for the stable link (`/v/:token`) of every instance sharing the database.
 * Only a completed render is touched.
 */
export async function cacheVideoUrl(
  db: Kysely<Database>,
  renderId: number,
  fresh: { url: string; expiresAt: number },
  now: number,
): Promise<void> {
  await db
    .updateTable('renders')
    .set({ video_url: fresh.url, video_url_expires_at: fresh.expiresAt, updated_at: now })
    .where('id', '=', renderId)
    .where('state', '=', 'completed')
    .execute();
}
