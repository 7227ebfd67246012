import type { Store } from './db.js';

export interface NewThumbnail {
  key: string;
  renderId: number | null;
  contentType: string;
  body: Buffer;
  etag: string;
}

/**
 * Stores an image once: when two instances make the same one at once, the
 * first stays (both made it from the same HeyGen file, so they are alike).
 */
export async function saveThumbnail(store: Store, image: NewThumbnail, now: number): Promise<void> {
  const { db } = store;
  await db
    .insertInto('thumbnails')
    .values({ key: image.key, render_id: image.renderId, content_type: image.contentType, body: image.body, etag: image.etag, created_at: now })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
}
