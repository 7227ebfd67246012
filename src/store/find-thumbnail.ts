import type { Store } from './db.js';
import type { ThumbnailRow } from './schema.js';

/** A stored image by its key (`gif:<render id>`, `poster:<render id>`, `logo:<hash>`), or undefined. */
export async function findThumbnail(store: Store, key: string): Promise<ThumbnailRow | undefined> {
  const { db } = store;
  const row = await db.selectFrom('thumbnails').selectAll().where('key', '=', key).executeTakeFirst();
  // better-sqlite3 and pg both answer a Buffer; a Uint8Array from elsewhere is wrapped without copying.
  return row && { ...row, body: Buffer.isBuffer(row.body) ? row.body : Buffer.from(row.body as Uint8Array) };
}
