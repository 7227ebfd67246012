import type { Store } from './db.js';
import type { VideoDeletionRow } from './schema.js';

/** Leases up to `limit` due HeyGen video deletions (all of them when `due` is false: `reelay forget` tries at once). */
export async function claimVideoDeletions(
  store: Store,
  input: { workerId: string; now: number; leaseMs: number; limit: number; videoIds?: string[] },
): Promise<VideoDeletionRow[]> {
  const { db, dialect } = store;
  const ids = input.videoIds;
  if (ids !== undefined && ids.length === 0) return [];
  let due = db
    .selectFrom('video_deletions')
    .select('id')
    .where('status', '=', 'pending')
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', input.now)]))
    .$if(ids === undefined, (q) => q.where('run_at', '<=', input.now))
    .$if(ids !== undefined, (q) => q.where('video_id', 'in', ids as string[]))
    .orderBy('run_at')
    .orderBy('id')
    .limit(input.limit);
  if (dialect === 'postgres') due = due.forUpdate().skipLocked();
  return db
    .updateTable('video_deletions')
    .set({ leased_by: input.workerId, lease_until: input.now + input.leaseMs })
    .where('id', 'in', due)
    .returningAll()
    .execute();
}
