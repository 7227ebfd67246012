/**
 * Privacy requests (SPEC "Privacy"): forgetting a person, by `reelay forget`
 * or HubSpot's privacy deletion event, and deleting their videos at HeyGen.
 *
 * Forgetting is two steps, both through the render lifecycle: the record's
 * live renders are cancelled (the timeline says it was a privacy request),
 * then its personal data is erased in one transaction (`store/erase-record.ts`,
 * `core/erasure.ts`), which also queues its videos for deletion at HeyGen.
 * The HeyGen deletions run afterwards, retried with backoff; a failure
 * there never undoes or blocks the erasure in the store.
 */
import { backoffDelay, retryDelay } from '../core/backoff.js';
import type { Random } from '../core/clock.js';
import { emptyErasureCounts, type ErasureCounts } from '../core/erasure.js';
import { isProviderError } from '../core/errors.js';
import type { HeyGenClient } from '../heygen/types.js';
import type { Logger } from '../observability/logger.js';
import { claimVideoDeletions } from '../store/claim-video-deletions.js';
import { liveRendersOfRecord } from '../store/find-record-renders.js';
import { pendingPrivacyEvents } from '../store/privacy-events.js';
import { settleVideoDeletion, type VideoDeletionOutcome } from '../store/settle-video-deletion.js';
import type { EngineContext } from './context.js';
import { cancelForPrivacy, erasePersonalData, loadClaimed, type LifecycleContext } from './lifecycle.js';
import type { TickResult } from './loop.js';

export interface ForgetTarget {
  /** Plural, as stored (`contacts`). */
  objectType: string;
  objectId: string;
  /** Only these portals' record (a HubSpot event); every portal's when absent (`reelay forget`). */
  portalIds?: string[];
}

/** Renders can move while they are cancelled (a worker holds one); they are read again this many times. */
const CANCEL_ROUNDS = 5;

/** Cancels the record's live renders, then erases its personal data. Running it again changes nothing and counts zeros. */
export async function forgetRecord(ctx: LifecycleContext & { log?: Logger }, target: ForgetTarget): Promise<ErasureCounts> {
  let cancelled = 0;
  for (let round = 0; round < CANCEL_ROUNDS; round += 1) {
    const live = await liveRendersOfRecord(ctx.store, target);
    if (live.length === 0) break;
    for (const render of await loadClaimed(ctx, live)) {
      if (await cancelForPrivacy(ctx, render)) cancelled += 1;
    }
  }
  const erased = await erasePersonalData(ctx, { ...target, deleteVideos: ctx.config.privacy.deleteVideos, now: ctx.clock.now() });
  return { ...emptyErasureCounts(), ...erased, cancelled };
}

export interface VideoDeletionContext {
  store: EngineContext['store'];
  clock: EngineContext['clock'];
  config: EngineContext['config'];
  random: Random;
  heygen: HeyGenClient;
  workerId: string;
  log?: Logger;
}

export interface VideoDeletionReport {
  deleted: number;
  /** Will be tried again. */
  retrying: number;
  /** Given up; kept for the operator. */
  failed: number;
  errors: string[];
}

const DELETIONS_PER_TICK = 20;

/**
 * Deletes due videos at HeyGen (or exactly `videoIds`, due or not: `reelay
 * forget` tries its own at once). A video HeyGen no longer has counts as
 * deleted. A failure is retried with backoff (a `Retry-After` is honoured);
 * a permanent refusal, or `worker.maxAttempts` failures, leave the row
 * `failed` with its error, reported by `reelay forget` and in the log.
 */
export async function deleteVideos(ctx: VideoDeletionContext, opts: { videoIds?: string[] } = {}): Promise<VideoDeletionReport> {
  const now = ctx.clock.now();
  const rows = await claimVideoDeletions(ctx.store, {
    workerId: ctx.workerId,
    now,
    leaseMs: ctx.config.worker.leaseSeconds * 1000,
    limit: DELETIONS_PER_TICK,
    ...(opts.videoIds === undefined ? {} : { videoIds: opts.videoIds }),
  });
  const report: VideoDeletionReport = { deleted: 0, retrying: 0, failed: 0, errors: [] };
  for (const row of rows) {
    const outcome = await deleteOne(ctx, row.video_id, row.attempts + 1);
    await settleVideoDeletion(ctx.store, { id: row.id, workerId: ctx.workerId, now: ctx.clock.now(), outcome });
    if (outcome.kind === 'deleted') {
      report.deleted += 1;
      continue;
    }
    report.errors.push(`video ${row.video_id}: ${outcome.error}`);
    if (outcome.kind === 'failed') report.failed += 1;
    else report.retrying += 1;
    ctx.log?.warn({ videoId: row.video_id, attempt: row.attempts + 1, gaveUp: outcome.kind === 'failed' }, `HeyGen video deletion failed: ${outcome.error}`);
  }
  return report;
}

async function deleteOne(ctx: VideoDeletionContext, videoId: string, attempt: number): Promise<VideoDeletionOutcome> {
  try {
    await ctx.heygen.deleteVideo(videoId);
    return { kind: 'deleted' };
  } catch (err) {
    if (!isProviderError(err)) throw err;
    const error = err.describe();
    if (err.failureClass === 'permanent' || attempt >= ctx.config.worker.maxAttempts) return { kind: 'failed', error };
    const delays = { attempt, baseMs: ctx.config.worker.retryBase, capMs: ctx.config.worker.retryCap, random: ctx.random };
    const wait = err.retryAfterMs === undefined ? backoffDelay(delays) : retryDelay({ ...delays, retryAfterMs: err.retryAfterMs });
    return { kind: 'retry', runAt: Math.ceil(ctx.clock.now() + wait), error };
  }
}

const EVENTS_PER_TICK = 20;

/**
 * The portals a HubSpot event's record may be stored under: the event's, and
 * the ones Reelay files a record under when a delivery names no portal (a
 * workflow body without `portalId`: `hubspot.portalId`, else `default`).
 */
function eventPortals(ctx: EngineContext, portalId: string): string[] {
  return [...new Set([portalId, ctx.config.hubspot.portalId.trim() || 'default', 'default'])];
}

/**
 * The privacy worker: acts on stored HubSpot privacy deletions (the erasure
 * deletes the event with the record's other payloads), then deletes due
 * videos at HeyGen.
 */
export async function privacyTick(ctx: EngineContext): Promise<TickResult> {
  const requests = await pendingPrivacyEvents(ctx.store, EVENTS_PER_TICK);
  for (const request of requests) {
    const counts = await forgetRecord(ctx, { objectType: request.objectType, objectId: request.objectId, portalIds: eventPortals(ctx, request.portalId) });
    // No record id in the log: the event was about a person who asked to be forgotten.
    ctx.log.info({ renders: counts.renders, cancelled: counts.cancelled, events: counts.events, videosQueued: counts.videosQueued }, 'HubSpot privacy deletion: personal data erased');
    ctx.wake('submit');
  }
  const report = await deleteVideos(ctx);
  return requests.length === EVENTS_PER_TICK || report.deleted + report.retrying + report.failed === DELETIONS_PER_TICK ? 'busy' : 'idle';
}
