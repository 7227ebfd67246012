import type { Kysely } from 'kysely';

/** A render's scope: what besides its variables makes it distinct (a scheduled trigger's term). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('renders').addColumn('scope', 'text').execute();
}
