import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from './index.js';

/**
 * Privacy (`reelay forget`, HubSpot's privacy deletions): HeyGen videos of
 * forgotten people waiting to be deleted at HeyGen, one row per video,
 * retried with backoff until HeyGen confirms (or says the video is gone).
 * The row names only the video, never the person.
 */
export async function up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  const id = ctx.dialect === 'postgres' ? 'bigserial' : 'integer';
  const big = ctx.dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('video_deletions')
    .addColumn('id', sql.raw(id), (c) => (ctx.dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('video_id', 'text', (c) => c.notNull().unique())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('run_at', sql.raw(big), (c) => c.notNull())
    .addColumn('leased_by', 'text')
    .addColumn('lease_until', sql.raw(big))
    .addColumn('last_error', 'text')
    .addColumn('created_at', sql.raw(big), (c) => c.notNull())
    .addColumn('updated_at', sql.raw(big), (c) => c.notNull())
    .execute();
  await db.schema.createIndex('video_deletions_due').on('video_deletions').columns(['status', 'run_at']).execute();
}
