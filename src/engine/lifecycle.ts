/**
 * The render lifecycle: the only way a render comes into being or changes
 * state. Each transition
 *
 *   1. checks the move against the table in `core/states.ts`,
 *   2. makes the guarded update (nothing happens if another worker moved the
 *      render first), with exactly one timeline entry per render and the CRM
 *      writes and other effects it implies (a note when the video is ready;
 *      queued in the outbox, `engine/effects`), all in one transaction,
 *      shared with the transitions asked for beside it (group commit, below),
 *   3. after the commit, counts `reelay_render_transitions_total{campaign,to}`
 *      and wakes the stage that acts next.
 *
 *   (receive, receiveJournalEntry) ─▶ received
 *   received ─enrich─▶ enriched ─reserve─▶ submitting ─accept─▶ rendering ─complete─▶ completed
 *      ├─skip / markDuplicate / expand          (any live) ─fail / cancel─▶ failed / cancelled
 *      └─ (operator) retry: failed, skipped, cancelled ─▶ received
 *   rendering ─awaitReview─▶ awaiting_review ─(operator) approve─▶ completed
 *                                    └─(operator) reject / cancel─▶ failed / cancelled
 *
 * `reschedule` changes no state: it moves `run_at` (a retry later, a poll,
 * a callback's hint) and notes why on the timeline.
 *
 * The store operations below are called from here and nowhere else
 * (`test/unit/lifecycle-ownership.test.ts` checks it).
 */
import { planRender } from '../core/render-plan.js';
import { isIn, type Render, type RenderIn, type RenderPlan } from '../core/render.js';
import { assertTransition, canTransition, crmStatusAdvances, type RenderState } from '../core/states.js';
import type { HeyGenVideo } from '../heygen/types.js';
import { applyRenderChange, applyRenderChanges, type CrmChange, type RenderChange, type TimedRenderChange } from '../store/apply-render-change.js';
import { PRIVACY_CANCEL_NOTE, type ErasureCounts } from '../core/erasure.js';
import { eraseRecord, type EraseRecordInput } from '../store/erase-record.js';
import type { Store } from '../store/db.js';
import { expandRender, type ExpandedTrigger, type Recipient } from '../store/expand-render.js';
import { findRender } from '../store/find-renders.js';
import { ingestEvents, type IngestItem, type IngestOutcome } from '../store/ingest-events.js';
import { CorruptRenderError, planColumn, toRender, variablesColumn } from '../store/render-mapper.js';
import { reserveSubmissions, type ReserveInput } from '../store/reserve-submissions.js';
import { storeJournalEntry, type StoreJournalEntryInput } from '../store/store-journal-entry.js';
import type { RenderRow, RenderUpdate } from '../store/schema.js';
import { campaignById, type EngineContext, type Stage } from './context.js';
import { completedWrite, failedWrite, pendingWrite, processingWrite, readyNotes, skippedWrite } from './crm-writes.js';
import type { EffectChange } from '../store/enqueue-effect.js';
import { GroupCommit } from './group-commit.js';

/**
 * What the lifecycle needs. Metrics and waking are absent in one-shot CLI
 * commands (no process to wake, nothing scraping the counters).
 */
export type LifecycleContext = Pick<EngineContext, 'store' | 'clock' | 'config'> & Partial<Pick<EngineContext, 'metrics' | 'wake'>>;

// ---------------------------------------------------------------- reading

/** The domain view of a stored render (variables and plan parsed once). */
export function loadRender(ctx: Pick<EngineContext, 'config'>, row: RenderRow): Render {
  return toRender(row, (legacy) => legacyPlan(ctx, legacy));
}

/**
 * Claimed rows as renders. A row that contradicts its state (a bug, or an
 * edit by hand) fails with `corrupt_render` and the reason instead of
 * stalling its whole batch on every claim; the stage goes on with the rest.
 */
export async function loadClaimed(ctx: LifecycleContext & Partial<Pick<EngineContext, 'log'>>, rows: RenderRow[]): Promise<Render[]> {
  const renders: Render[] = [];
  for (const row of rows) {
    try {
      renders.push(loadRender(ctx, row));
    } catch (err) {
      if (!(err instanceof CorruptRenderError)) throw err;
      ctx.log?.error({ renderId: row.id, state: row.state }, err.message);
      await quarantine(ctx, row, err.message);
    }
  }
  return renders;
}

/** Any live state `→ failed`, for a row that cannot be read as a render. */
async function quarantine(ctx: LifecycleContext, row: RenderRow, reason: string): Promise<void> {
  if (!canTransition(row.state, 'failed')) return;
  const now = ctx.clock.now();
  const moved = await applyRenderChange(
    ctx.store,
    { renderId: row.id, from: row.state, to: 'failed', set: { error_code: 'corrupt_render', error_message: reason, finished_at: now }, note: reason },
    now,
  );
  if (moved) counted(ctx, row.campaign_id, 'failed');
}

export async function findRenderById(ctx: Pick<EngineContext, 'config' | 'store'>, id: number): Promise<Render | undefined> {
  const row = await findRender(ctx.store, id);
  return row ? loadRender(ctx, row) : undefined;
}

/** Renders enriched before plans were stored: their plan is what the current config says. */
function legacyPlan(ctx: Pick<EngineContext, 'config'>, row: RenderRow): RenderPlan {
  const trigger = row.trigger_object_type !== null && row.trigger_object_id !== null ? { objectType: row.trigger_object_type, objectId: row.trigger_object_id } : null;
  return planRender(ctx.config, campaignById(ctx.config, row.campaign_id), { recipient: { objectType: row.object_type, objectId: row.object_id }, trigger });
}

// ---------------------------------------------------------------- creation

/**
 * Stores inbound events and the `received` renders they start (intake,
 * schedules, manual runs, backfills), in one durable transaction; HeyGen
 * callbacks are stored the same way, starting no render.
 */
export function receive(store: Store, items: IngestItem[], now: number, opts: { durable?: boolean } = {}): Promise<IngestOutcome[]> {
  return ingestEvents(store, items, now, opts);
}

/**
 * The same for a Webhooks Journal entry: its events and renders are stored
 * together with the journal's new offset, in one durable transaction.
 */
export function receiveJournalEntry(store: Store, input: StoreJournalEntryInput): Promise<IngestOutcome[]> {
  return storeJournalEntry(store, input);
}

// ---------------------------------------------------------------- enrichment

export interface EnrichedContent {
  key: string;
  templateId: string;
  title: string;
  variables: Record<string, string>;
  /** The campaign variant chosen (`core/variants.ts`), frozen into the plan; null or absent for the campaign's own template. */
  variant?: string | null;
}

/**
 * `received → enriched`: the render takes its content key and a frozen plan
 * of its campaign. Throws if another render holds the key (the store's
 * unique constraint); the caller then marks it a duplicate.
 */
export async function enrich(ctx: LifecycleContext, render: RenderIn<'received'>, content: EnrichedContent): Promise<boolean> {
  const now = ctx.clock.now();
  const plan = planRender(ctx.config, campaignById(ctx.config, render.campaignId), render, content.variant ?? null);
  return change(ctx, render, 'enriched', {
    set: {
      render_key: content.key,
      title: content.title,
      variables: variablesColumn(content.variables),
      template_id: content.templateId,
      plan: planColumn(plan),
      run_at: now,
      attempts: 0,
      error_message: null,
    },
    note: `enriched: ${Object.keys(content.variables).length} variables, key ${content.key.slice(0, 15)}…`,
    wake: ['submit'],
  });
}

/** `received → skipped`: the record does not fit; the CRM learns why. */
export function skip(ctx: LifecycleContext, render: RenderIn<'received'>, reason: string): Promise<boolean> {
  return change(ctx, render, 'skipped', {
    set: { error_code: 'invalid_data', error_message: reason, finished_at: ctx.clock.now() },
    note: `skipped: ${reason}`,
    crm: skippedWrite(ctx, render, reason),
    wake: ['write'],
  });
}

/** `received → duplicate`: another render has the same inputs; nothing is billed or written. */
export function markDuplicate(ctx: LifecycleContext, render: RenderIn<'received'>, twinId: number): Promise<boolean> {
  return change(ctx, render, 'duplicate', { set: { finished_at: ctx.clock.now() }, note: `same inputs as render ${twinId}: nothing to render` });
}

/**
 * `received → expanded`, in bulk: a deal or company trigger becomes one
 * `received` render per recipient contact, in one transaction. Returns the
 * new renders' ids, or null if the trigger had moved on.
 */
export async function expand(ctx: LifecycleContext, render: RenderIn<'received'>, recipients: Recipient[], note: string): Promise<number[] | null> {
  const ids = await expandRender(ctx.store, triggerOf(render), recipients, note, ctx.clock.now());
  if (ids === null) return null;
  counted(ctx, render.campaignId, 'expanded');
  ctx.wake?.('enrich');
  return ids;
}

function triggerOf(render: Render): ExpandedTrigger {
  return {
    id: render.id,
    eventId: render.eventId,
    portalId: render.portalId,
    campaignId: render.campaignId,
    objectType: render.recipient.objectType,
    objectId: render.recipient.objectId,
    scope: render.scope,
    api: render.api,
    templateId: render.templateId,
  };
}

// ---------------------------------------------------------------- submission

/**
 * `enriched → submitting`, in bulk and within the HeyGen window: the
 * write-ahead committed before any HeyGen call. The renders come back
 * leased to this worker.
 */
export async function reserve(ctx: LifecycleContext & Partial<Pick<EngineContext, 'log'>>, input: ReserveInput): Promise<RenderIn<'submitting'>[]> {
  const rows = await reserveSubmissions(ctx.store, input);
  for (const row of rows) counted(ctx, row.campaign_id, 'submitting');
  return (await loadClaimed(ctx, rows)).filter((render) => isIn(render, 'submitting'));
}

/** `submitting → rendering`: HeyGen has the render; the CRM shows PENDING. */
export function accept(ctx: LifecycleContext, render: RenderIn<'submitting'>, videoId: string, how: string): Promise<boolean> {
  const now = ctx.clock.now();
  return change(ctx, render, 'rendering', {
    set: { video_id: videoId, heygen_status: 'queued', attempts: 0, run_at: now + ctx.config.heygen.callbackGrace, error_message: null },
    note: `HeyGen video ${videoId} ${how}`,
    crm: pendingWrite(ctx, render, videoId),
    wake: ['write'],
  });
}

// ---------------------------------------------------------------- the end of a render

export interface FinishedVideo {
  video: Pick<HeyGenVideo, 'videoUrl' | 'shareUrl' | 'urlExpiresAt'>;
  /** The stable link's token. */
  token: string;
  /** What the CRM's URL property gets. */
  link: string;
  /** The e-mail thumbnail's address (`PUBLIC_URL/v/TOKEN/thumbnail.gif`), when Reelay has a public URL. */
  thumbnail?: string;
}

/** What a finished video sets on its render, whether it completes now or waits for review. */
function finishedVideo(done: FinishedVideo): RenderUpdate {
  return {
    heygen_status: 'completed',
    video_url: done.video.videoUrl ?? null,
    video_url_expires_at: done.video.urlExpiresAt ?? null,
    share_url: done.video.shareUrl ?? null,
    link_token: done.token,
    error_message: null,
  };
}

/** `rendering → completed`: the video and its link go to the CRM (and, with the campaign's `note: true`, a note). */
export function complete(ctx: LifecycleContext, render: RenderIn<'rendering'>, done: FinishedVideo): Promise<boolean> {
  return change(ctx, render, 'completed', {
    set: { ...finishedVideo(done), finished_at: ctx.clock.now() },
    note: `completed: ${done.link}`,
    crm: completedWrite(ctx, render, render.videoId, done.link, done.thumbnail),
    effects: readyNotes(ctx, render, done.link, done.thumbnail),
    wake: ['write', 'submit'],
  });
}

/**
 * `rendering → awaiting_review` (a campaign with `review: required`): the
 * video is kept with its stable link (a reviewer can watch it) and the link
 * the CRM will get, but nothing about it goes to the CRM yet; the CRM shows
 * PROCESSING. HeyGen's slot is free again, so `submit` is woken.
 */
export function awaitReview(ctx: LifecycleContext, render: RenderIn<'rendering'>, done: FinishedVideo): Promise<boolean> {
  const showProcessing = crmStatusAdvances(render.crmStatus, 'PROCESSING');
  return change(ctx, render, 'awaiting_review', {
    set: { ...finishedVideo(done), review_link: done.link, review_thumbnail: done.thumbnail ?? null },
    note: `video ready, awaiting review: ${done.link}`,
    ...(showProcessing ? { crm: processingWrite(ctx, render) } : {}),
    wake: showProcessing ? ['write', 'submit'] : ['submit'],
  });
}

/** An operator's approval: `awaiting_review → completed`, written back exactly as a completion is. */
export function approve(ctx: LifecycleContext, render: RenderIn<'awaiting_review'>, via?: string): Promise<boolean> {
  const link = render.reviewLink ?? '';
  const thumbnail = render.reviewThumbnail ?? undefined;
  return change(ctx, render, 'completed', {
    set: { review_link: null, review_thumbnail: null, finished_at: ctx.clock.now() },
    note: `${operatorNote('approved', via)}; completed: ${link}`,
    crm: completedWrite(ctx, render, render.videoId, link, thumbnail),
    effects: readyNotes(ctx, render, link, thumbnail),
    wake: ['write'],
  });
}

/** An operator's rejection: `awaiting_review → failed` with `rejected: <reason>` (also in the CRM). */
export function reject(ctx: LifecycleContext, render: RenderIn<'awaiting_review'>, reason: string, via?: string): Promise<boolean> {
  return change(ctx, render, 'failed', {
    set: { review_link: null, review_thumbnail: null, error_code: 'rejected', error_message: `rejected: ${reason}`, finished_at: ctx.clock.now() },
    note: `${operatorNote('rejected', via)}: ${reason}`,
    crm: failedWrite(ctx, render, 'rejected', reason),
    wake: ['write'],
  });
}

export interface Failure {
  code: string;
  reason: string;
  /** The timeline note (default: the reason). */
  note?: string;
  /** Write FAILED to the CRM (default true). */
  crm?: boolean;
  /** HeyGen itself reported the failure. */
  heygenFailed?: boolean;
}

/** Any live state `→ failed`. */
export function fail(ctx: LifecycleContext, render: Render, failure: Failure): Promise<boolean> {
  return change(ctx, render, 'failed', {
    set: {
      ...(failure.heygenFailed ? { heygen_status: 'failed' } : {}),
      error_code: failure.code,
      error_message: failure.reason,
      finished_at: ctx.clock.now(),
    },
    note: failure.note ?? failure.reason,
    ...(failure.crm === false ? {} : { crm: failedWrite(ctx, render, failure.code, failure.reason) }),
    wake: ['write', 'submit'],
  });
}

// ---------------------------------------------------------------- operators

/** An operator's cancel: any live state `→ cancelled`; a CRM that shows the render under way learns no video will come. */
export function cancel(ctx: LifecycleContext, render: Render, via?: string): Promise<boolean> {
  const by = operatorNote('cancelled', via);
  const note = render.state === 'rendering' || render.state === 'submitting' ? `${by} (HeyGen may still finish and bill this render)` : by;
  return change(ctx, render, 'cancelled', {
    set: { finished_at: ctx.clock.now(), ...(render.reviewLink ? { review_link: null, review_thumbnail: null } : {}) },
    note,
    ...(render.crmStatus ? { crm: failedWrite(ctx, render, 'cancelled', 'cancelled by an operator') } : {}),
    wake: ['write', 'submit'],
  });
}

/**
 * A privacy request (`reelay forget`, HubSpot's privacy deletion): any live
 * state `→ cancelled`. Nothing is written to the CRM: the record is being
 * erased, and its queued writes with it.
 */
export function cancelForPrivacy(ctx: LifecycleContext, render: Render): Promise<boolean> {
  return change(ctx, render, 'cancelled', { set: { finished_at: ctx.clock.now() }, note: PRIVACY_CANCEL_NOTE, wake: ['submit'] });
}

/**
 * A privacy request's erasure of a record's personal data (renders kept as
 * anonymous billing rows, each with one timeline entry saying so; see
 * `store/erase-record.ts`). No state changes: cancel live renders first.
 */
export function erasePersonalData(ctx: LifecycleContext, input: EraseRecordInput): Promise<Omit<ErasureCounts, 'cancelled'>> {
  return eraseRecord(ctx.store, input);
}

/**
 * An operator's retry: `failed | skipped | cancelled → received`, from the
 * start. If HeyGen had taken (and failed) it, the next submission gets a new
 * idempotency key (`submission` + 1): replaying the old one would only
 * return the old failure.
 */
export function retry(ctx: LifecycleContext, render: Render, via?: string): Promise<boolean> {
  const now = ctx.clock.now();
  return change(ctx, render, 'received', {
    set: {
      submission: render.videoId ? render.submission + 1 : render.submission,
      video_id: null,
      // A suggestion is about one submission's callback id; a new submission has a new one.
      ...(render.videoId ? { suggested_video_id: null } : {}),
      heygen_status: null,
      error_code: null,
      error_message: null,
      crm_status: null,
      attempts: 0,
      run_at: now,
      finished_at: null,
    },
    note: `${operatorNote('re-queued', via)}${render.videoId ? ` (previous HeyGen video ${render.videoId})` : ''}`,
    wake: ['enrich'],
  });
}

/** `cancelled by an operator`, naming where the operator acted when known (`via the dashboard`). */
function operatorNote(what: string, via: string | undefined): string {
  return via === undefined ? `${what} by an operator` : `${what} by an operator via ${via}`;
}

// ---------------------------------------------------------------- no change of state

export interface Reschedule {
  runAt: number;
  attempts?: number;
  errorMessage?: string | null;
  heygenStatus?: string;
  /** A video a signed callback named for the current submission (v2 recovery reads it). */
  suggestedVideoId?: string;
  /** The CRM learns HeyGen started rendering. */
  writeProcessing?: boolean;
  /** The worker goes on with the render: keep its lease. */
  keepLease?: boolean;
}

/** The render stays in its state and becomes due at `runAt`; the timeline says why. */
export function reschedule(ctx: LifecycleContext, render: Render, next: Reschedule, note: string): Promise<boolean> {
  const set: RenderUpdate = { run_at: next.runAt };
  if (next.attempts !== undefined) set.attempts = next.attempts;
  if (next.errorMessage !== undefined) set.error_message = next.errorMessage;
  if (next.heygenStatus !== undefined) set.heygen_status = next.heygenStatus;
  if (next.suggestedVideoId !== undefined) set.suggested_video_id = next.suggestedVideoId;
  return change(ctx, render, undefined, {
    set,
    note,
    ...(next.writeProcessing ? { crm: processingWrite(ctx, render), wake: ['write'] } : {}),
    ...(next.keepLease ? { keepLease: true } : {}),
  });
}

// ---------------------------------------------------------------- the one write

interface Change {
  set: RenderUpdate;
  note: string;
  crm?: CrmChange[];
  /** Effects of other kinds (`engine/effects`), queued in the same transaction. */
  effects?: EffectChange[];
  keepLease?: boolean;
  /** Stages that act next, woken after the commit. */
  wake?: Stage[];
}

async function change(ctx: LifecycleContext, render: Render, to: RenderState | undefined, c: Change): Promise<boolean> {
  if (to !== undefined) assertTransition(render.state, to, render.id);
  const now = ctx.clock.now();
  const moved = await groupCommitted(
    ctx.store,
    {
      renderId: render.id,
      from: render.state,
      ...(to === undefined ? {} : { to }),
      set: c.set,
      note: c.note,
      ...(c.keepLease ? { keepLease: true } : {}),
      ...(c.crm && c.crm.length > 0 ? { crm: c.crm } : {}),
      ...(c.effects && c.effects.length > 0 ? { effects: c.effects } : {}),
    },
    now,
  );
  if (!moved) return false;
  if (to !== undefined) counted(ctx, render.campaignId, to);
  for (const stage of c.wake ?? []) ctx.wake?.(stage);
  return true;
}

/**
 * On SQLite (one connection, one writer), transitions asked for in the same
 * turn of the event loop (a stage moving its batch side by side) share one
 * transaction: group commit. If the shared one fails (say a content key
 * another render took), each change is applied alone, so only its own
 * caller sees the error. On PostgreSQL each keeps its own transaction: they
 * run side by side on the pool and the server groups their WAL flushes
 * itself; one writer per process would serialize them (measured: the
 * multi-instance and throughput tests slowed past their deadlines).
 */
type Committed = { moved: boolean } | { error: unknown };
const transitionWriters = new WeakMap<Store, GroupCommit<TimedRenderChange, Committed>>();

async function groupCommitted(store: Store, change: RenderChange, now: number): Promise<boolean> {
  if (store.dialect === 'postgres') return applyRenderChange(store, change, now);
  let writer = transitionWriters.get(store);
  if (!writer) {
    // 50 a commit: a SQLite transaction holds the event loop until it ends, and webhooks wait behind it.
    writer = new GroupCommit((items) => commitTransitions(store, items), { maxBatch: 50 });
    transitionWriters.set(store, writer);
  }
  const result = await writer.write({ change, now });
  if ('error' in result) throw result.error;
  return result.moved;
}

async function commitTransitions(store: Store, items: TimedRenderChange[]): Promise<Committed[]> {
  try {
    return (await applyRenderChanges(store, items)).map((moved) => ({ moved }));
  } catch (err) {
    if (items.length === 1) return [{ error: err }];
    const alone: Committed[] = [];
    for (const { change, now } of items) alone.push(await applyRenderChange(store, change, now).then((moved) => ({ moved }), (error: unknown) => ({ error })));
    return alone;
  }
}

function counted(ctx: LifecycleContext, campaign: string, to: RenderState): void {
  ctx.metrics?.renderTransitions.inc({ campaign, to });
}
