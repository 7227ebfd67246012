import { sql, type ExpressionBuilder } from 'kysely';
import type { Store } from './db.js';
import type { Database } from './schema.js';

export interface RenderStat {
  campaignId: string;
  /** `state`, `triggered`, `finished`, `failed_reason`, `skipped_reason`, `billed` (migration 014). */
  metric: string;
  key: string;
  /** UTC days since the epoch; 0 for states. */
  day: number;
  n: number;
}

/**
 * Render statistics as they stand: every campaign's renders per state, and,
 * when `sinceDay` is given, every dated statistic of that day or later. One
 * statement over the folded statistics and the changes not folded yet, so
 * on PostgreSQL it reads one snapshot: exact even while a compaction runs.
 */
export async function readRenderStats(store: Store, sinceDay?: number): Promise<RenderStat[]> {
  const { db } = store;
  // States are on day 0: both halves of the OR are ranges of `render_stats_day`, so a long history is not read.
  const states = (eb: ExpressionBuilder<Database, 'render_stats' | 'render_stat_changes'>) => eb.and([eb('metric', '=', 'state'), eb('day', '=', 0)]);
  const wanted = (table: 'render_stats' | 'render_stat_changes') =>
    db
      .selectFrom(table)
      .select(['campaign_id', 'metric', 'key', 'day', 'n'])
      .where((eb) => (sinceDay === undefined ? states(eb) : eb.or([states(eb), eb('day', '>=', sinceDay)])));
  const rows = await db
    .selectFrom(wanted('render_stats').unionAll(wanted('render_stat_changes')).as('s'))
    .select(['campaign_id', 'metric', 'key', 'day', sql<number>`cast(sum(n) as bigint)`.as('n')])
    .groupBy(['campaign_id', 'metric', 'key', 'day'])
    .having(sql`sum(n)`, '<>', 0)
    .execute();
  return rows.map((r) => ({ campaignId: r.campaign_id, metric: r.metric, key: r.key, day: Number(r.day), n: Number(r.n) }));
}

/** Renders per state, of every campaign or of one, from the statistics: exact, and not a count of every render. */
export async function readStateCounts(store: Store, campaignId?: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const stat of await readRenderStats(store)) {
    if (stat.metric !== 'state' || (campaignId !== undefined && stat.campaignId !== campaignId)) continue;
    counts[stat.key] = (counts[stat.key] ?? 0) + stat.n;
  }
  return counts;
}
