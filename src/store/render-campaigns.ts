import { sql } from 'kysely';
import type { Store } from './db.js';

/**
 * Every campaign id that has renders, read as a loose scan of the index on
 * `campaign_id` (each step seeks the next larger id), so it costs a few
 * index seeks per campaign however many renders each has. A plain
 * `SELECT DISTINCT` walks every row.
 */
export async function renderCampaigns(store: Store): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    with recursive c(id) as (
      select min(campaign_id) from renders
      union all
      select (select min(campaign_id) from renders where campaign_id > c.id) from c where c.id is not null
    )
    select id from c where id is not null`.execute(store.db);
  return rows.map((r) => r.id);
}
