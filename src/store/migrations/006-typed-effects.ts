import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from './index.js';

/**
 * Typed effects in the outbox: a row is one effect (`kind`: `properties`,
 * `note`, `engagement`...) for one record, coalesced per (record, kind,
 * `effect_key`); `claims` counts the times a worker leased it, so a
 * create-once effect knows an earlier attempt may have reached the CRM.
 * SQLite cannot drop a table constraint, so the table is rebuilt (both
 * dialects alike); queued writes are kept as `properties` effects.
 */
export async function up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  const id = ctx.dialect === 'postgres' ? 'bigserial' : 'integer';
  const big = ctx.dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('outbox_next')
    .addColumn('id', sql.raw(id), (c) => (ctx.dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('portal_id', 'text', (c) => c.notNull())
    .addColumn('object_type', 'text', (c) => c.notNull())
    .addColumn('object_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().defaultTo('properties'))
    .addColumn('effect_key', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('render_id', sql.raw(big), (c) => c.notNull())
    .addColumn('properties', 'text', (c) => c.notNull())
    .addColumn('status_rank', 'integer', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('claims', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('run_at', sql.raw(big), (c) => c.notNull())
    .addColumn('leased_by', 'text')
    .addColumn('lease_until', sql.raw(big))
    .addColumn('last_error', 'text')
    .addColumn('created_at', sql.raw(big), (c) => c.notNull())
    .addColumn('updated_at', sql.raw(big), (c) => c.notNull())
    .addUniqueConstraint('outbox_effect', ['portal_id', 'object_type', 'object_id', 'kind', 'effect_key'])
    .execute();
  await sql`insert into outbox_next (portal_id, object_type, object_id, render_id, properties, status_rank, version, attempts, run_at, leased_by, lease_until, last_error, created_at, updated_at)
    select portal_id, object_type, object_id, render_id, properties, status_rank, version, attempts, run_at, leased_by, lease_until, last_error, created_at, updated_at from outbox`.execute(db);
  await db.schema.dropTable('outbox').execute();
  await db.schema.alterTable('outbox_next').renameTo('outbox').execute();
  await db.schema.createIndex('outbox_due').on('outbox').column('run_at').execute();
}
