import type { Store } from './db.js';

/** HeyGen deletions still waiting (`pending`) and given up (`failed`), with the newest error of the failed ones. */
export async function countVideoDeletions(store: Store): Promise<{ pending: number; failed: number; lastError: string | null }> {
  const rows = await store.db.selectFrom('video_deletions').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('status').execute();
  const count = (status: string) => Number(rows.find((r) => r.status === status)?.n ?? 0);
  const newest = await store.db.selectFrom('video_deletions').select('last_error').where('status', '=', 'failed').orderBy('updated_at', 'desc').limit(1).executeTakeFirst();
  return { pending: count('pending'), failed: count('failed'), lastError: newest?.last_error ?? null };
}
