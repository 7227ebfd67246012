/**
 * Content-addressed render keys. The same inputs always give the same key,
 * whatever the order of their keys, so a redelivered trigger never renders
 * twice while a changed variable renders anew. The key is unique in the
 * store and doubles as HeyGen's `callback_id` and (v3) `Idempotency-Key`.
 */
import { createHash } from 'node:crypto';

export interface RenderKeyInput {
  portalId: string;
  campaignId: string;
  objectType: string;
  objectId: string;
  templateId: string;
  title: string;
  variables: Record<string, string>;
  /**
   * What else makes this render distinct, when the variables do not say it:
   * a scheduled trigger's term (a renewal renders once per contract term even
   * if no variable shows the date). Absent for event-triggered renders.
   */
  scope?: string | null;
  /**
   * The campaign variant chosen for the record (`variants:`), when the
   * campaign has variants and one matched: a different variant is a
   * different render even if template and variables agree. Absent (or null)
   * for the campaign's own template, so keys of campaigns without variants
   * are unchanged.
   */
  variant?: string | null;
}

/** Bumped only if the hashed content ever changes meaning; old keys then stop matching. */
const KEY_VERSION = 1;
const RENDER_KEY = /^rk_[0-9a-f]{64}$/;
const SUBMISSION_KEY = /^(rk_[0-9a-f]{64})(?::([2-9]|[1-9][0-9]+))?$/;

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** JSON with object keys sorted at every level: equal content, equal text. */
export function canonicalJson(value: Json): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k] as Json)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** `rk_` + hex sha256 of the canonical input. */
export function renderKey(input: RenderKeyInput): string {
  const content: { [key: string]: Json } = {
    v: KEY_VERSION,
    portalId: input.portalId,
    campaignId: input.campaignId,
    objectType: input.objectType,
    objectId: input.objectId,
    templateId: input.templateId,
    title: input.title,
    variables: { ...input.variables },
  };
  if (input.scope) content.scope = input.scope;
  if (input.variant) content.variant = input.variant;
  return `rk_${createHash('sha256').update(canonicalJson(content), 'utf8').digest('hex')}`;
}

export function isRenderKey(value: string): boolean {
  return RENDER_KEY.test(value);
}

/**
 * The key sent to HeyGen for the n-th submission of a render. The first is
 * the render key itself; an operator's re-submission after HeyGen failed the
 * render needs a fresh key, since replaying the old one returns the old failure.
 */
export function submissionKey(key: string, submission: number): string {
  if (!Number.isInteger(submission) || submission < 1) {
    throw new RangeError(`submission must be a positive integer, got ${submission}`);
  }
  return submission === 1 ? key : `${key}:${submission}`;
}

/**
 * `[rk:<first 12 chars of the render key>]`, or `[rk:<first 12>:<n>]` for the
 * n-th submission: how a render is recognised in a title HeyGen lists. The
 * suffix matters: a second submission must never be taken for the first
 * one's (failed) video.
 */
export function submissionMarker(callbackId: string): string {
  const colon = callbackId.indexOf(':');
  const key = colon === -1 ? callbackId : callbackId.slice(0, colon);
  const suffix = colon === -1 ? '' : callbackId.slice(colon);
  return `[rk:${key.slice(0, 12)}${suffix}]`;
}

/** Reads a `callback_id` back into its render key and submission number; undefined if it is not ours. */
export function parseSubmissionKey(value: string): { renderKey: string; submission: number } | undefined {
  const match = SUBMISSION_KEY.exec(value);
  if (!match || match[1] === undefined) return undefined;
  return { renderKey: match[1], submission: match[2] === undefined ? 1 : Number(match[2]) };
}
