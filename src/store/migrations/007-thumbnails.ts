import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { MigrationContext } from './index.js';

/**
 * Images the video page and e-mails show, made once from HeyGen's files and
 * kept for every instance: a render's animated e-mail thumbnail and its
 * poster (`render_id` set, so erasing a render's data can erase them), and a
 * campaign's logo (no render). `key` names the image (`gif:<render id>`,
 * `poster:<render id>`, `logo:<hash of its URL>`); `etag` is a hash of `body`.
 */
export async function up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  const big = ctx.dialect === 'postgres' ? 'bigint' : 'integer';
  const bytes = ctx.dialect === 'postgres' ? 'bytea' : 'blob';
  await db.schema
    .createTable('thumbnails')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('render_id', sql.raw(big))
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('body', sql.raw(bytes), (c) => c.notNull())
    .addColumn('etag', 'text', (c) => c.notNull())
    .addColumn('created_at', sql.raw(big), (c) => c.notNull())
    .execute();
  await db.schema.createIndex('thumbnails_render').on('thumbnails').column('render_id').execute();
}
