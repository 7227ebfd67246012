import { sql } from 'kysely';
import type { Store } from './db.js';

export interface CreatedCounts {
  /** Renders created on the days of the range. */
  inRange: number;
  /** Renders created on later days. */
  after: number;
}

/**
 * How many renders were created in a range of UTC days and after it, from
 * the render statistics (`triggered`: every render but expanded triggers;
 * near enough for what it is for, the render list's choice of plan). Only
 * the days from `fromDay` are read.
 */
export async function countCreated(store: Store, range: { fromDay?: number; beforeDay?: number; campaignId?: string }): Promise<CreatedCounts> {
  const { db } = store;
  const days = (table: 'render_stats' | 'render_stat_changes') =>
    db
      .selectFrom(table)
      .select(['day', 'n'])
      .where('metric', '=', 'triggered')
      .$if(range.campaignId !== undefined, (q) => q.where('campaign_id', '=', range.campaignId as string).where('key', '=', ''))
      .$if(range.fromDay !== undefined, (q) => q.where('day', '>=', range.fromDay as number));
  const before = range.beforeDay ?? Number.MAX_SAFE_INTEGER;
  const row = await db
    .selectFrom(days('render_stats').unionAll(days('render_stat_changes')).as('d'))
    .select([
      sql<number>`cast(coalesce(sum(case when day < ${before} then n else 0 end), 0) as bigint)`.as('in_range'),
      sql<number>`cast(coalesce(sum(case when day >= ${before} then n else 0 end), 0) as bigint)`.as('after'),
    ])
    .executeTakeFirstOrThrow();
  return { inRange: Number(row.in_range), after: Number(row.after) };
}
