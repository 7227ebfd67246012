import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from './index.js';

/**
 * Video engagement as Reelay counts it: one row per render and CRM record
 * the render writes back to, holding absolute totals (plays, highest percent
 * watched, last play, CTA clicks). The CRM properties are computed from these
 * rows when they are sent, so a retried write repeats the same values.
 */
export async function up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  const big = ctx.dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('engagement')
    .addColumn('render_id', sql.raw(big), (c) => c.notNull())
    .addColumn('portal_id', 'text', (c) => c.notNull())
    .addColumn('object_type', 'text', (c) => c.notNull())
    .addColumn('object_id', 'text', (c) => c.notNull())
    .addColumn('plays', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('max_percent', 'integer', (c) => c.notNull().defaultTo(0))
    /** Epoch ms of the last play; 0 before the first. */
    .addColumn('last_played', sql.raw(big), (c) => c.notNull().defaultTo(0))
    .addColumn('cta_clicks', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', sql.raw(big), (c) => c.notNull())
    .addPrimaryKeyConstraint('engagement_pk', ['render_id', 'portal_id', 'object_type', 'object_id'])
    .execute();
  await db.schema.createIndex('engagement_record').on('engagement').columns(['portal_id', 'object_type', 'object_id']).execute();
}
