import { sql } from 'kysely';
import type { Store } from './db.js';
import type { RenderStatsTable } from './schema.js';

/** Rows per upsert statement (5 parameters each: well under either dialect's limit). */
const UPSERT_ROWS = 1_000;

/**
 * Folds the oldest `batch` render statistic changes into `render_stats`, in
 * one transaction: the changes are deleted (and returned), summed per
 * statistic, added to it, and a statistic that comes to 0 is deleted.
 * Returns how many changes it folded (fewer than `batch`: none are left).
 *
 * Safe beside other compactors on PostgreSQL: each takes changes no other
 * holds (SKIP LOCKED), and DELETE ... RETURNING gives it exactly the rows it
 * removed, so every change is folded once; the sums are upserted in one
 * order (sorted by key), so two compactors meeting on the same statistics
 * wait for each other instead of deadlocking.
 */
export async function compactRenderStats(store: Store, batch: number): Promise<number> {
  return store.db.transaction().execute(async (trx) => {
    let oldest = trx.selectFrom('render_stat_changes').select('id').orderBy('id').limit(batch);
    if (store.dialect === 'postgres') oldest = oldest.forUpdate().skipLocked();
    const changes = await trx
      .deleteFrom('render_stat_changes')
      .where('id', 'in', oldest)
      .returning(['campaign_id', 'metric', 'key', 'day', 'n'])
      .execute();

    const sums = new Map<string, RenderStatsTable>();
    for (const c of changes) {
      const id = statKey(c);
      const sum = sums.get(id);
      if (sum) sum.n += Number(c.n);
      else sums.set(id, { campaign_id: c.campaign_id, metric: c.metric, key: c.key, day: Number(c.day), n: Number(c.n) });
    }
    const rows = [...sums.entries()]
      .filter(([, s]) => s.n !== 0)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, s]) => s);

    const zero: RenderStatsTable[] = [];
    for (let i = 0; i < rows.length; i += UPSERT_ROWS) {
      const upserted = await trx
        .insertInto('render_stats')
        .values(rows.slice(i, i + UPSERT_ROWS))
        .onConflict((oc) => oc.columns(['campaign_id', 'metric', 'key', 'day']).doUpdateSet({ n: sql`render_stats.n + excluded.n` }))
        .returning(['campaign_id', 'metric', 'key', 'day', 'n'])
        .execute();
      zero.push(...upserted.filter((s) => Number(s.n) === 0));
    }
    // Rows this transaction holds since its upsert: no other compactor can add to them meanwhile.
    for (const s of zero) {
      await trx
        .deleteFrom('render_stats')
        .where('campaign_id', '=', s.campaign_id)
        .where('metric', '=', s.metric)
        .where('key', '=', s.key)
        .where('day', '=', s.day)
        .where('n', '=', 0)
        .execute();
    }
    return changes.length;
  });
}

/** A statistic's identity as one string (any one order of these serves: every compactor sorts alike). */
function statKey(s: { campaign_id: string; metric: string; key: string; day: number }): string {
  return JSON.stringify([s.campaign_id, s.metric, s.key, Number(s.day)]);
}
