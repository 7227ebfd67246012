import type { Store } from './db.js';

export type VideoDeletionOutcome =
  | { kind: 'deleted' }
  /** Try again at `runAt`. */
  | { kind: 'retry'; runAt: number; error: string }
  /** Given up (a permanent refusal, or the retries ran out): kept as `failed` for the operator. */
  | { kind: 'failed'; error: string };

/** Records how a leased deletion went: a deleted video's row goes; otherwise it counts the attempt and keeps the error. */
export async function settleVideoDeletion(store: Store, input: { id: number; workerId: string; now: number; outcome: VideoDeletionOutcome }): Promise<void> {
  const { db } = store;
  const { outcome } = input;
  if (outcome.kind === 'deleted') {
    await db.deleteFrom('video_deletions').where('id', '=', input.id).where('leased_by', '=', input.workerId).execute();
    return;
  }
  await db
    .updateTable('video_deletions')
    .set((eb) => ({
      status: outcome.kind === 'failed' ? 'failed' : 'pending',
      attempts: eb('attempts', '+', 1),
      run_at: outcome.kind === 'retry' ? outcome.runAt : input.now,
      last_error: outcome.error,
      leased_by: null,
      lease_until: null,
      updated_at: input.now,
    }))
    .where('id', '=', input.id)
    .where('leased_by', '=', input.workerId)
    .execute();
}
