/**
 * Table types for Kysely. Times are epoch milliseconds (bigint columns on
 * PostgreSQL, parsed back to numbers); JSON is stored as text so both
 * dialects read it the same way.
 */
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { CrmStatus, RenderState } from '../core/states.js';

export interface EventsTable {
  id: Generated<number>;
  source: 'hubspot' | 'heygen';
  dedupe_key: string;
  portal_id: string;
  kind: string;
  object_type: string | null;
  object_id: string | null;
  campaign_id: string | null;
  /** `accepted` (renders were created), `ignored` (with `reason`). */
  status: 'accepted' | 'ignored';
  reason: string | null;
  payload: string;
  received_at: number;
}

export interface RendersTable {
  id: Generated<number>;
  event_id: number | null;
  portal_id: string;
  campaign_id: string;
  /** The record the video is for and whose properties are written back. */
  object_type: string;
  object_id: string;
  /** The record whose change triggered the render, when it differs (a deal for a contact's video). */
  trigger_object_type: string | null;
  trigger_object_id: string | null;
  state: RenderState;
  /** Content-addressed identity (SPEC part 2); null until enrichment has the variables. */
  render_key: string | null;
  /** Part of the key beyond the variables (a scheduled trigger's term), or null. */
  scope: string | null;
  /** 1 for the first submission; an operator re-submission of a failed render increments it. */
  submission: number;
  api: 'v3' | 'v2';
  template_id: string;
  title: string | null;
  variables: string | null;
  /** The frozen campaign settings later stages use (JSON `RenderPlan`), taken at enrichment; null before. */
  plan: string | null;
  video_id: string | null;
  /** A video a signed callback named for this render's current submission while it was `submitting`: a hint for v2 recovery. */
  suggested_video_id: string | null;
  heygen_status: string | null;
  video_url: string | null;
  video_url_expires_at: number | null;
  share_url: string | null;
  link_token: string | null;
  /** While `awaiting_review`: the link the CRM gets when an operator approves (computed when the video finished). */
  review_link: string | null;
  /** While `awaiting_review`: the e-mail thumbnail address an approval writes, when there is one. */
  review_thumbnail: string | null;
  error_code: string | null;
  error_message: string | null;
  /** The highest CRM status queued for this render; writes never go below it. */
  crm_status: CrmStatus | null;
  attempts: number;
  run_at: number;
  leased_by: string | null;
  lease_until: number | null;
  created_at: number;
  updated_at: number;
  submitted_at: number | null;
  finished_at: number | null;
}

export interface RenderTimelineTable {
  id: Generated<number>;
  render_id: number;
  at: number;
  from_state: string | null;
  to_state: string;
  note: string;
}

/**
 * Pending CRM effects: one row per (record, kind, key), coalesced by the
 * kind's merge (`src/engine/effects/`). `properties` rows carry the property
 * write (JSON) in `properties`; other kinds their payload (JSON) there.
 */
export interface OutboxTable {
  id: Generated<number>;
  portal_id: string;
  object_type: string;
  object_id: string;
  /** The effect kind (`properties`, `note`, `engagement`...). */
  kind: Generated<string>;
  /** Distinguishes effects of one kind on one record ('' when one per record; a render's id for a note). */
  effect_key: Generated<string>;
  render_id: number;
  /** The payload as JSON text (for `properties`: the property values). */
  properties: string;
  status_rank: number;
  /** Bumped on every coalesced write, so a sender only deletes what it actually sent. */
  version: number;
  attempts: number;
  /** How many times a worker leased it: above 1, an earlier attempt may have reached the CRM. */
  claims: Generated<number>;
  run_at: number;
  leased_by: string | null;
  lease_until: number | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
}

/** Small key/value facts the service keeps: queue pauses and their reasons, scheduler marks. */
export interface MetaTable {
  key: string;
  value: string;
  updated_at: number;
}

export interface RateSlotsTable {
  id: Generated<number>;
  lane: string;
  taken_at: number;
  done_at: number | null;
}

/** The Webhooks Journal poller's offset and lease (one row per journal). */
export interface JournalCursorTable {
  name: string;
  /** Offset of the last entry whose events are stored; null before the first. */
  position: string | null;
  leased_by: string | null;
  lease_until: number | null;
  updated_at: number;
}

/** Images made once from HeyGen's files (e-mail thumbnail, poster) or a campaign's logo, shared by every instance. */
export interface ThumbnailsTable {
  /** `gif:<render id>`, `poster:<render id>`, `logo:<hash of the URL>`. */
  key: string;
  /** The render the image shows, null for a campaign's logo. */
  render_id: number | null;
  content_type: string;
  body: Buffer;
  /** A strong validator: a hash of `body`. */
  etag: string;
  created_at: number;
}

/**
 * Video engagement per render and written-back record (SPEC "Video page and
 * engagement"): absolute totals, from which the CRM properties are computed.
 */
export interface EngagementTable {
  render_id: number;
  portal_id: string;
  object_type: string;
  object_id: string;
  plays: number;
  /** 0-100. */
  max_percent: number;
  /** Epoch ms of the last play; 0 before the first. */
  last_played: number;
  cta_clicks: number;
  updated_at: number;
}

/** The dashboard's sign-in sessions (`id` is the SHA-256 of the cookie's value). */
export interface DashboardSessionsTable {
  id: string;
  /** The synchronizer token every form of this session carries. */
  csrf_token: string;
  created_at: number;
  expires_at: number;
}

/** HeyGen videos of forgotten people, to delete at HeyGen (SPEC "Privacy"); `failed` after the retries run out. */
export interface VideoDeletionsTable {
  id: Generated<number>;
  video_id: string;
  status: 'pending' | 'failed';
  attempts: number;
  run_at: number;
  leased_by: string | null;
  lease_until: number | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
}

/** Credit budget slots: one per render submission reserved for HeyGen, counted per UTC day (`core/render-budgets.ts`). */
export interface CreditSlotsTable {
  render_id: number;
  submission: number;
  /** UTC day, `YYYY-MM-DD`. */
  day: string;
  campaign_id: string;
  taken_at: number;
}

/**
 * Render statistics (migration 014): per campaign, how many renders state a
 * fact (`metric`, `key`, UTC `day`; states have day 0). Folded from
 * `render_stat_changes`, which the triggers on `renders` append to; the
 * count is this table's `n` plus the changes not yet folded.
 */
export interface RenderStatsTable {
  campaign_id: string;
  /** `state`, `triggered`, `finished`, `failed_reason`, `skipped_reason`, `billed`. */
  metric: string;
  /** The state, the reason, or '' (`triggered`, `billed`). */
  key: string;
  day: number;
  n: number;
}

export interface RenderStatChangesTable {
  id: Generated<number>;
  campaign_id: string;
  metric: string;
  key: string;
  day: number;
  /** +1 or -1 (or the net of an update). */
  n: number;
}

export interface Database {
  events: EventsTable;
  renders: RendersTable;
  render_timeline: RenderTimelineTable;
  outbox: OutboxTable;
  meta: MetaTable;
  rate_slots: RateSlotsTable;
  journal_cursor: JournalCursorTable;
  thumbnails: ThumbnailsTable;
  engagement: EngagementTable;
  dashboard_sessions: DashboardSessionsTable;
  video_deletions: VideoDeletionsTable;
  credit_slots: CreditSlotsTable;
  render_stats: RenderStatsTable;
  render_stat_changes: RenderStatChangesTable;
}

export type EventRow = Selectable<EventsTable>;
export type NewEvent = Insertable<EventsTable>;
export type RenderRow = Selectable<RendersTable>;
export type NewRender = Insertable<RendersTable>;
/**
 * The columns a render change may set. `state` is not among them: a state
 * changes only through the render lifecycle (`engine/lifecycle.ts`), which
 * checks the transition table.
 */
export type RenderUpdate = Omit<Updateable<RendersTable>, 'state' | 'id'>;
export type TimelineRow = Selectable<RenderTimelineTable>;
export type OutboxRow = Selectable<OutboxTable>;
export type ThumbnailRow = Selectable<ThumbnailsTable>;
export type EngagementRow = Selectable<EngagementTable>;
export type VideoDeletionRow = Selectable<VideoDeletionsTable>;
