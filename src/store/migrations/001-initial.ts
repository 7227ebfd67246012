import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { MigrationContext } from './index.js';

/** The first schema: inbound events, renders with their timeline, the CRM outbox, meta. */
export async function up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  const id = ctx.dialect === 'postgres' ? 'bigserial' : 'integer';
  const big = ctx.dialect === 'postgres' ? 'bigint' : 'integer';

  await db.schema
    .createTable('events')
    .addColumn('id', sql.raw(id), (c) => (ctx.dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
    .addColumn('portal_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('object_type', 'text')
    .addColumn('object_id', 'text')
    .addColumn('campaign_id', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('received_at', sql.raw(big), (c) => c.notNull())
    .execute();
  await db.schema.createIndex('events_received_at').on('events').column('received_at').execute();

  await db.schema
    .createTable('renders')
    .addColumn('id', sql.raw(id), (c) => (ctx.dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('event_id', sql.raw(big))
    .addColumn('portal_id', 'text', (c) => c.notNull())
    .addColumn('campaign_id', 'text', (c) => c.notNull())
    .addColumn('object_type', 'text', (c) => c.notNull())
    .addColumn('object_id', 'text', (c) => c.notNull())
    .addColumn('trigger_object_type', 'text')
    .addColumn('trigger_object_id', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('render_key', 'text', (c) => c.unique())
    .addColumn('submission', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('api', 'text', (c) => c.notNull())
    .addColumn('template_id', 'text', (c) => c.notNull())
    .addColumn('title', 'text')
    .addColumn('variables', 'text')
    .addColumn('video_id', 'text')
    .addColumn('heygen_status', 'text')
    .addColumn('video_url', 'text')
    .addColumn('video_url_expires_at', sql.raw(big))
    .addColumn('share_url', 'text')
    .addColumn('link_token', 'text', (c) => c.unique())
    .addColumn('error_code', 'text')
    .addColumn('error_message', 'text')
    .addColumn('crm_status', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('run_at', sql.raw(big), (c) => c.notNull())
    .addColumn('leased_by', 'text')
    .addColumn('lease_until', sql.raw(big))
    .addColumn('created_at', sql.raw(big), (c) => c.notNull())
    .addColumn('updated_at', sql.raw(big), (c) => c.notNull())
    .addColumn('submitted_at', sql.raw(big))
    .addColumn('finished_at', sql.raw(big))
    .execute();
  // Workers look for due rows by state; the partial-free index keeps both dialects identical.
  await db.schema.createIndex('renders_due').on('renders').columns(['state', 'run_at']).execute();
  await db.schema.createIndex('renders_video_id').on('renders').column('video_id').execute();
  await db.schema.createIndex('renders_campaign').on('renders').columns(['campaign_id', 'state']).execute();
  await db.schema.createIndex('renders_object').on('renders').columns(['object_type', 'object_id']).execute();

  await db.schema
    .createTable('render_timeline')
    .addColumn('id', sql.raw(id), (c) => (ctx.dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('render_id', sql.raw(big), (c) => c.notNull())
    .addColumn('at', sql.raw(big), (c) => c.notNull())
    .addColumn('from_state', 'text')
    .addColumn('to_state', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('render_timeline_render').on('render_timeline').columns(['render_id', 'id']).execute();

  await db.schema
    .createTable('outbox')
    .addColumn('id', sql.raw(id), (c) => (ctx.dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('portal_id', 'text', (c) => c.notNull())
    .addColumn('object_type', 'text', (c) => c.notNull())
    .addColumn('object_id', 'text', (c) => c.notNull())
    .addColumn('render_id', sql.raw(big), (c) => c.notNull())
    .addColumn('properties', 'text', (c) => c.notNull())
    .addColumn('status_rank', 'integer', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('run_at', sql.raw(big), (c) => c.notNull())
    .addColumn('leased_by', 'text')
    .addColumn('lease_until', sql.raw(big))
    .addColumn('last_error', 'text')
    .addColumn('created_at', sql.raw(big), (c) => c.notNull())
    .addColumn('updated_at', sql.raw(big), (c) => c.notNull())
    .addUniqueConstraint('outbox_record', ['portal_id', 'object_type', 'object_id'])
    .execute();
  await db.schema.createIndex('outbox_due').on('outbox').column('run_at').execute();

  await db.schema
    .createTable('meta')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', sql.raw(big), (c) => c.notNull())
    .execute();
}
