/**
 * A render as the engine sees it: the store's row mapped once (see
 * `store/render-mapper.ts`) into a value whose shape follows its state. A
 * render past enrichment carries its content (key, template, title, parsed
 * variables) and its plan: the frozen copy of the campaign settings every
 * later stage needs, taken at enrichment, so a config edit affects only
 * renders enriched after it.
 */
import type { LinkMode } from './share-link.js';
import type { CrmStatus, RenderState } from './states.js';

export interface RecordRef {
  objectType: string;
  objectId: string;
}

export type WritebackMode = 'recipient' | 'record' | 'both';

/** What later stages do with a render, fixed when it is enriched. */
export interface RenderPlan {
  /** Campaign HeyGen options passed through on create. */
  heygen: { caption?: boolean; folderId?: string; enableSharing?: boolean; test?: boolean };
  /** Whose properties are written, and the records that makes. */
  writeback: { mode: WritebackMode; targets: RecordRef[] };
  /** What goes into the video URL property. */
  link: LinkMode;
  /** The CRM property names results are written to. */
  /** `thumbnailUrl` is absent in plans stored before the video page: no thumbnail property is written for them. */
  properties: { status: string; url: string; jobId: string; error: string; thumbnailUrl?: string };
  /** Create a CRM note when the video is ready (absent in plans stored before notes: no note). */
  note?: boolean;
  /** `required`: a finished video waits in `awaiting_review` for an operator (absent: written back at once). */
  review?: 'required';
  /** The id of the campaign variant whose template and variables were chosen (absent: the campaign's own). */
  variant?: string;
}

/** What a render renders: known from enrichment on. */
export interface RenderContent {
  key: string;
  templateId: string;
  title: string;
  variables: Record<string, string>;
  plan: RenderPlan;
}

interface RenderCommon {
  id: number;
  /** The inbound event that started it (null for renders started without one). */
  eventId: number | null;
  portalId: string;
  campaignId: string;
  /** The record the video is for (and, by default, written back to). */
  recipient: RecordRef;
  /** The record whose change started the render, when it differs. */
  trigger: RecordRef | null;
  scope: string | null;
  /** 1 for the first submission; an operator's re-submission after a HeyGen failure increments it. */
  submission: number;
  api: 'v3' | 'v2';
  templateId: string;
  videoId: string | null;
  /** A video a signed callback named while the render was being submitted (a hint, never a fact). */
  suggestedVideoId: string | null;
  heygenStatus: string | null;
  linkToken: string | null;
  /** While awaiting review: the link an approval writes to the CRM. */
  reviewLink: string | null;
  /** While awaiting review: the e-mail thumbnail address an approval writes, if any. */
  reviewThumbnail: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  crmStatus: CrmStatus | null;
  attempts: number;
  runAt: number;
  createdAt: number;
  submittedAt: number | null;
  finishedAt: number | null;
}

export interface ReceivedRender extends RenderCommon {
  state: 'received';
  content: null;
}
export interface EnrichedRender extends RenderCommon {
  state: 'enriched' | 'submitting';
  content: RenderContent;
}
export interface RenderingRender extends RenderCommon {
  state: 'rendering' | 'awaiting_review' | 'completed';
  content: RenderContent;
  videoId: string;
}
export interface SettledRender extends RenderCommon {
  state: 'failed' | 'skipped' | 'cancelled' | 'duplicate' | 'expanded';
  content: RenderContent | null;
}

export type Render = ReceivedRender | EnrichedRender | RenderingRender | SettledRender;
/** A render known to be in one of the states `S` (members that cannot be in them drop out). */
export type RenderIn<S extends RenderState> = Render & { state: S };

/** Narrows a render to the given states. */
export function isIn<S extends RenderState>(render: Render, ...states: S[]): render is RenderIn<S> {
  return states.some((state) => state === render.state);
}
