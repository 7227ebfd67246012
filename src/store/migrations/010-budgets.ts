import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from './index.js';

/**
 * Credit budgets: one row per budget slot taken, i.e. per render submission
 * reserved for HeyGen (`render_id`, `submission`: the idempotency key's
 * parts), with the UTC day it counts on. Reservations count a day's rows in
 * their own transaction; a submission HeyGen provably refused deletes its
 * row (the slot is given back).
 */
export async function up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  const big = ctx.dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('credit_slots')
    .addColumn('render_id', sql.raw(big), (c) => c.notNull())
    .addColumn('submission', 'integer', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('campaign_id', 'text', (c) => c.notNull())
    .addColumn('taken_at', sql.raw(big), (c) => c.notNull())
    .addPrimaryKeyConstraint('credit_slots_pk', ['render_id', 'submission'])
    .execute();
  await db.schema.createIndex('credit_slots_day').on('credit_slots').columns(['day', 'campaign_id']).execute();
}
