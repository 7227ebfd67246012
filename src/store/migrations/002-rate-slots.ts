import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { MigrationContext } from './index.js';

/**
 * Slots of the HubSpot budget shared by every instance on PostgreSQL: one
 * row per request, held from its send until a window after its answer.
 */
export async function up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  const id = ctx.dialect === 'postgres' ? 'bigserial' : 'integer';
  const big = ctx.dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('rate_slots')
    .addColumn('id', sql.raw(id), (c) => (ctx.dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('lane', 'text', (c) => c.notNull())
    .addColumn('taken_at', sql.raw(big), (c) => c.notNull())
    .addColumn('done_at', sql.raw(big))
    .execute();
  await db.schema.createIndex('rate_slots_lane').on('rate_slots').columns(['lane', 'done_at']).execute();
}
