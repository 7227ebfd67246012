/**
 * Store ↔ domain: a `renders` row becomes a `Render` once, here. JSON
 * columns are parsed and checked, and a row whose columns contradict its
 * state (an enriched render without a key, a rendering one without a video)
 * is refused loudly instead of travelling on as a half-valid value.
 */
import type { RecordRef, Render, RenderContent, RenderPlan } from '../core/render.js';
import type { RenderRow } from './schema.js';

export class CorruptRenderError extends Error {
  constructor(
    readonly renderId: number,
    detail: string,
  ) {
    super(`render ${renderId} is inconsistent in the store: ${detail}`);
    this.name = 'CorruptRenderError';
  }
}

/**
 * Maps a row. `legacyPlan` gives the plan of a render enriched before plans
 * were stored (it is derived from the current config); it is not called for
 * any other row.
 */
export function toRender(row: RenderRow, legacyPlan: (row: RenderRow) => RenderPlan): Render {
  const common = {
    id: row.id,
    eventId: row.event_id,
    portalId: row.portal_id,
    campaignId: row.campaign_id,
    recipient: { objectType: row.object_type, objectId: row.object_id },
    trigger: row.trigger_object_type !== null && row.trigger_object_id !== null ? { objectType: row.trigger_object_type, objectId: row.trigger_object_id } : null,
    scope: row.scope,
    submission: row.submission,
    api: row.api,
    templateId: row.template_id,
    suggestedVideoId: row.suggested_video_id,
    heygenStatus: row.heygen_status,
    linkToken: row.link_token,
    reviewLink: row.review_link,
    reviewThumbnail: row.review_thumbnail,
    errorCode: row.error_code,
    errorMessage: row.error_message,
    crmStatus: row.crm_status,
    attempts: row.attempts,
    runAt: row.run_at,
    createdAt: row.created_at,
    submittedAt: row.submitted_at,
    finishedAt: row.finished_at,
  };
  const content = contentOf(row, legacyPlan);
  switch (row.state) {
    case 'received':
      return { ...common, state: row.state, videoId: row.video_id, content: null };
    case 'enriched':
    case 'submitting':
      if (!content) throw new CorruptRenderError(row.id, `${row.state} without a render key`);
      return { ...common, state: row.state, videoId: row.video_id, content };
    case 'rendering':
    case 'awaiting_review':
    case 'completed':
      if (!content) throw new CorruptRenderError(row.id, `${row.state} without a render key`);
      if (row.video_id === null) throw new CorruptRenderError(row.id, `${row.state} without a HeyGen video id`);
      return { ...common, state: row.state, videoId: row.video_id, content };
    default:
      return { ...common, state: row.state, videoId: row.video_id, content };
  }
}

function contentOf(row: RenderRow, legacyPlan: (row: RenderRow) => RenderPlan): RenderContent | null {
  if (row.render_key === null) return null;
  return {
    key: row.render_key,
    templateId: row.template_id,
    title: row.title ?? row.campaign_id,
    variables: parseVariables(row),
    plan: row.plan === null ? legacyPlan(row) : parsePlan(row.id, row.plan),
  };
}

/** The campaign variant frozen in a row's plan (`variants:`), or null: the campaign's own template, or not enriched yet. */
export function variantOf(row: Pick<RenderRow, 'plan'>): string | null {
  if (row.plan === null) return null;
  try {
    const plan: unknown = JSON.parse(row.plan);
    return isRecord(plan) && typeof plan.variant === 'string' ? plan.variant : null;
  } catch {
    return null;
  }
}

/** The column text of a plan. */
export function planColumn(plan: RenderPlan): string {
  return JSON.stringify(plan);
}

/** The column text of a render's variables. */
export function variablesColumn(variables: Record<string, string>): string {
  return JSON.stringify(variables);
}

function parseJson(renderId: number, text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new CorruptRenderError(renderId, `${what} are not JSON`);
  }
}

function parseVariables(row: RenderRow): Record<string, string> {
  if (row.variables === null) return {};
  const value = parseJson(row.id, row.variables, 'variables');
  if (!isStringRecord(value)) throw new CorruptRenderError(row.id, 'variables are not an object of strings');
  return value;
}

function parsePlan(renderId: number, text: string): RenderPlan {
  const value = parseJson(renderId, text, 'plan contents');
  if (!isRecord(value) || !isRecord(value.heygen) || !isRecord(value.writeback) || !isRecord(value.properties)) {
    throw new CorruptRenderError(renderId, 'plan is not an object');
  }
  const { heygen, writeback, properties } = value;
  const targets = Array.isArray(writeback.targets) ? writeback.targets.filter(isRecordRef) : [];
  const mode = writeback.mode === 'record' || writeback.mode === 'both' ? writeback.mode : 'recipient';
  const link = value.link === 'share' || value.link === 'raw' ? value.link : 'stable';
  const { status, url, jobId, error, thumbnailUrl } = properties;
  if (typeof status !== 'string' || typeof url !== 'string' || typeof jobId !== 'string' || typeof error !== 'string') {
    throw new CorruptRenderError(renderId, 'plan has no CRM property names');
  }
  return {
    heygen: {
      ...(typeof heygen.caption === 'boolean' ? { caption: heygen.caption } : {}),
      ...(typeof heygen.folderId === 'string' ? { folderId: heygen.folderId } : {}),
      ...(typeof heygen.enableSharing === 'boolean' ? { enableSharing: heygen.enableSharing } : {}),
      ...(typeof heygen.test === 'boolean' ? { test: heygen.test } : {}),
    },
    writeback: { mode, targets },
    link,
    properties: { status, url, jobId, error, ...(typeof thumbnailUrl === 'string' ? { thumbnailUrl } : {}) },
    ...(value.note === true ? { note: true } : {}),
    ...(value.review === 'required' ? { review: 'required' as const } : {}),
    ...(typeof value.variant === 'string' ? { variant: value.variant } : {}),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return isRecord(value) && Object.values(value).every((v) => typeof v === 'string');
}

function isRecordRef(value: unknown): value is RecordRef {
  return isRecord(value) && typeof value.objectType === 'string' && typeof value.objectId === 'string';
}
