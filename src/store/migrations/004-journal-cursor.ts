import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { MigrationContext } from './index.js';

/**
 * The Webhooks Journal poller's durable state: the offset of the last entry
 * whose events are stored, and the lease of the one instance polling.
 */
export async function up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  const big = ctx.dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('journal_cursor')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('position', 'text')
    .addColumn('leased_by', 'text')
    .addColumn('lease_until', sql.raw(big))
    .addColumn('updated_at', sql.raw(big), (c) => c.notNull())
    .execute();
}
