import type { Kysely } from 'kysely';

/**
 * A render's plan: the campaign settings frozen at enrichment (HeyGen
 * options, write-back targets, link mode, CRM property names), so a config
 * edit affects only renders enriched after it. And the video a signed
 * callback suggested during submission (replaces a scan of raw events).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('renders').addColumn('plan', 'text').execute();
  await db.schema.alterTable('renders').addColumn('suggested_video_id', 'text').execute();
}
