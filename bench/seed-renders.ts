/**
 * Seeds many renders fast, generated inside the database (one INSERT ...
 * SELECT over a number series), for the dashboard scenario: five campaigns,
 * mostly completed and billed, 5% failed, 5% skipped, a few rendering,
 * spread evenly over the last 100 days. The rows go in through the render
 * statistics' triggers, and the changes they log are folded afterwards, as
 * housekeeping would: the dashboard then reads what a running system has.
 */
import { sql } from 'kysely';
import { compactRenderStats } from '../src/store/compact-render-stats.js';
import type { Store } from '../src/store/db.js';

export const SEED_CAMPAIGNS = 5;
const SPAN_MS = 100 * 86_400_000;
/** Changes folded per compaction while seeding (housekeeping folds fewer at a time). */
const FOLD_BATCH = 50_000;

export async function seedManyRenders(store: Store, count: number, now: number): Promise<void> {
  const t0 = now - SPAN_MS;
  const step = Math.max(1, Math.floor(SPAN_MS / count));
  const series = store.dialect === 'postgres' ? sql`generate_series(cast(1 as bigint), ${sql.lit(count)}) as seq(n)` : sql`seq`;
  const withSeries =
    store.dialect === 'postgres' ? sql`` : sql`with recursive seq(n) as (select 1 union all select n + 1 from seq where n < ${sql.lit(count)}) `;
  const at = sql`(${sql.lit(t0)} + n * ${sql.lit(step)})`;
  await sql`${withSeries}insert into renders (portal_id, campaign_id, object_type, object_id, state, render_key, submission, api, template_id, title, variables,
      video_id, error_code, error_message, attempts, run_at, created_at, updated_at, submitted_at, finished_at)
    select '1', 'campaign-' || cast(n % ${sql.lit(SEED_CAMPAIGNS)} as text), case when n % 7 = 0 then 'deals' else 'contacts' end, cast(n as text),
      case when n % 20 = 0 then 'failed' when n % 20 = 1 then 'skipped' when n % 500 = 2 then 'rendering' else 'completed' end,
      'bench-' || cast(n as text), 1, 'v3', 'tpl_bench', 'Video ' || cast(n as text), '{"first_name":"Person ' || cast(n as text) || '"}',
      case when n % 20 >= 2 then 'vid_' || cast(n as text) else null end,
      case when n % 20 = 0 then 'render_failed' when n % 20 = 1 then 'invalid_data' else null end,
      case when n % 20 = 0 then 'HeyGen could not render the template' when n % 20 = 1 then 'first_name is empty' else null end,
      0, ${at}, ${at}, ${at},
      case when n % 20 >= 2 then ${at} else null end,
      case when n % 500 = 2 then null else ${at} + 60000 end
    from ${series}`.execute(store.db);
  let folded: number;
  do folded = await compactRenderStats(store, FOLD_BATCH);
  while (folded === FOLD_BATCH);
  // What autovacuum would have done by now (the changes' dead rows reclaimed, the planner's statistics taken).
  if (store.dialect === 'postgres') await sql`vacuum analyze`.execute(store.db);
}
