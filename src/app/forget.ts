/**
 * `reelay forget --object T --id N` and `POST /api/forget`: erase a person's
 * data (SPEC "Privacy"). The request is checked before anything is touched;
 * the erasure is the engine's (`engine/privacy.ts`); the HeyGen deletions it
 * queues are tried at once when a HeyGen client is given, and otherwise (or
 * on failure) by the privacy worker of `reelay serve`.
 */
import type { ErasureCounts } from '../core/erasure.js';
import { objectTypeFromName, objectTypes } from '../core/object-types.js';
import type { LifecycleContext } from '../engine/lifecycle.js';
import { deleteVideos, forgetRecord, type ForgetTarget, type VideoDeletionContext, type VideoDeletionReport } from '../engine/privacy.js';
import { countVideoDeletions } from '../store/count-video-deletions.js';

export type { ErasureCounts, ForgetTarget, VideoDeletionReport };
export { describeErasure } from '../core/erasure.js';

export type ForgetRequest = { ok: true; target: ForgetTarget } | { ok: false; reason: string };

/** Checks `--object` and `--id`: a CRM object type Reelay knows (plural, singular or type id) and a record id. */
export function parseForgetRequest(object: string | undefined, id: string | undefined): ForgetRequest {
  if (object === undefined || object.trim() === '') return { ok: false, reason: `give the record's object type (--object ${objectTypes.join('|')})` };
  const objectType = objectTypeFromName(object);
  if (objectType === null) return { ok: false, reason: `unknown object type ${JSON.stringify(object)} (one of ${objectTypes.join(', ')})` };
  const objectId = id?.trim() ?? '';
  if (!/^\d{1,20}$/.test(objectId)) return { ok: false, reason: `give the record id as digits (--id N), got ${JSON.stringify(id ?? '')}` };
  return { ok: true, target: { objectType, objectId } };
}

export interface ForgetOutcome {
  counts: ErasureCounts;
  /** The HeyGen deletions tried now; null when no HeyGen client was given. */
  heygen: VideoDeletionReport | null;
  /** HeyGen deletions still waiting or given up after this run (for every forgotten person). */
  pendingDeletions: { pending: number; failed: number; lastError: string | null };
}

/** Forgets the record; then, with `heygen`, tries the queued HeyGen deletions once. */
export async function forgetPerson(
  ctx: LifecycleContext,
  target: ForgetTarget,
  heygen?: Omit<VideoDeletionContext, 'store' | 'clock' | 'config'>,
): Promise<ForgetOutcome> {
  const counts = await forgetRecord(ctx, target);
  const report = heygen === undefined ? null : await deleteVideos({ ...ctx, ...heygen });
  return { counts, heygen: report, pendingDeletions: await countVideoDeletions(ctx.store) };
}
