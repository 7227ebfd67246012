import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { MigrationContext } from './index.js';

/**
 * The operators' dashboard: its sign-in sessions (kept here so signing out
 * ends a session for good, and every instance sees the same), and the
 * indexes that keep its pages fast at a million renders:
 *
 * - `renders_campaign_state_id`: the overview's counts per campaign and
 *   state (an index-only count), and the list filtered by both, newest first;
 * - `renders_campaign_id`, `renders_state_id`: the list filtered by one of
 *   them, paged by id;
 * - `renders_state_finished`: renders finished per day (the chart) and the
 *   recent failures and skips with their reasons;
 * - `renders_created`: renders triggered per day and the list's time range;
 * - `renders_billed`: renders HeyGen accepted per campaign today and over 30
 *   days, one range of the index per campaign, read from the index alone.
 */
export async function up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  const big = ctx.dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('dashboard_sessions')
    // The SHA-256 of the cookie's value: a copy of the table signs no one in.
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('created_at', sql.raw(big), (c) => c.notNull())
    .addColumn('expires_at', sql.raw(big), (c) => c.notNull())
    .execute();
  await db.schema.createIndex('dashboard_sessions_expiry').on('dashboard_sessions').column('expires_at').execute();

  await db.schema.createIndex('renders_campaign_state_id').on('renders').columns(['campaign_id', 'state', 'id']).execute();
  await db.schema.createIndex('renders_campaign_id').on('renders').columns(['campaign_id', 'id']).execute();
  await db.schema.createIndex('renders_state_id').on('renders').columns(['state', 'id']).execute();
  await db.schema.createIndex('renders_state_finished').on('renders').columns(['state', 'finished_at']).execute();
  await db.schema.createIndex('renders_created').on('renders').column('created_at').execute();
  await db.schema.createIndex('renders_billed').on('renders').columns(['campaign_id', 'submitted_at', 'video_id']).execute();
}
