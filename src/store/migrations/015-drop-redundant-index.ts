import type { Kysely } from 'kysely';

/**
 * `renders_campaign (campaign_id, state)` is a prefix of
 * `renders_campaign_state_id (campaign_id, state, id)` (013), which serves
 * every query it served. Each index on `renders` is another B-tree that
 * every insert and state change writes to; dropping the duplicate takes one
 * of the twelve off intake's and the workers' writes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('renders_campaign').ifExists().execute();
}
