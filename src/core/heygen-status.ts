/**
 * HeyGen's render status, normalised across v3, v2 and the batch statuses
 * endpoint, and the pure decision of what a status fact means for a render.
 */
import { classifyHttpFailure } from './classify.js';
import { describeRenderFailure } from './failure-text.js';
import type { RenderState } from './states.js';

export const heygenStatuses = ['queued', 'processing', 'completed', 'failed', 'not_found'] as const;
export type HeygenStatus = (typeof heygenStatuses)[number];

const STATUS_BY_NAME: Record<string, HeygenStatus> = {
  waiting: 'queued',
  pending: 'queued',
  queued: 'queued',
  processing: 'processing',
  completed: 'completed',
  failed: 'failed',
  not_found: 'not_found',
};

export function isKnownHeygenStatus(raw: string): boolean {
  return STATUS_BY_NAME[raw.trim().toLowerCase()] !== undefined;
}

/**
 * Normalises a status string. One HeyGen has not documented is not final, so
 * it reads as `processing`: the render keeps being polled until the maximum
 * age fails it.
 */
export function normaliseHeygenStatus(raw: string): HeygenStatus {
  return STATUS_BY_NAME[raw.trim().toLowerCase()] ?? 'processing';
}

/** What HeyGen said about one video. */
export interface StatusFact {
  status: HeygenStatus;
  failureCode?: string;
  failureMessage?: string;
}

export interface StatusTiming {
  /** Time since the render was submitted. */
  ageMs: number;
  maxRenderAgeMs: number;
}

/**
 * - `complete`: the video is ready (from `submitting`, record `rendering` first);
 * - `fail`: HeyGen failed it or it timed out; `pausesQueue` when the account is the cause (no credit);
 * - `processing`: HeyGen has it: a `submitting` render moves to `rendering`;
 * - `wait`: nothing new, poll again later;
 * - `lost`: HeyGen does not know the video: the submission never landed;
 * - `ignore`: the render is not waiting on HeyGen (not submitted yet, or already final).
 */
export type StatusDecision =
  | { kind: 'complete' }
  | { kind: 'fail'; code: string; reason: string; pausesQueue: boolean }
  | { kind: 'processing' }
  | { kind: 'wait' }
  | { kind: 'lost' }
  | { kind: 'ignore'; reason: string };

export const RENDER_TIMEOUT_CODE = 'render_timeout';
export const RENDER_FAILED_CODE = 'render_failed';

export function decideFromStatus(current: RenderState, fact: StatusFact, timing: StatusTiming): StatusDecision {
  if (current !== 'submitting' && current !== 'rendering') {
    const reason = current === 'received' || current === 'enriched' ? 'render not submitted yet' : `render is already ${current}`;
    return { kind: 'ignore', reason };
  }
  switch (fact.status) {
    case 'completed':
      return { kind: 'complete' };
    case 'failed': {
      const code = fact.failureCode?.trim() || RENDER_FAILED_CODE;
      // Credit failures often surface only here, and they block every other render too: a code
      // that would make an API answer blocking (whatever its HTTP status) pauses the queue.
      const pausesQueue = classifyHttpFailure('heygen', 400, code) === 'blocking';
      return { kind: 'fail', code, reason: describeRenderFailure(fact.failureCode, fact.failureMessage), pausesQueue };
    }
    case 'not_found':
      return { kind: 'lost' };
    case 'queued':
    case 'processing':
      if (timing.ageMs > timing.maxRenderAgeMs) {
        return { kind: 'fail', code: RENDER_TIMEOUT_CODE, reason: 'render timed out', pausesQueue: false };
      }
      return current === 'submitting' ? { kind: 'processing' } : { kind: 'wait' };
  }
}
