/**
 * The render state machine. Every change of a render's state goes through
 * `assertTransition`, so the allowed moves live here and nowhere else.
 *
 *   received ──▶ enriched ──▶ submitting ──▶ rendering ──▶ completed
 *      │            │             │              ├──────▶ failed
 *      │            │             │              └─▶ awaiting_review ─approve─▶ completed
 *      │            │             │                         └─reject─▶ failed (or cancelled)
 *      ├─▶ skipped  ├─▶ duplicate └─▶ failed
 *      ├─▶ expanded (one render per recipient contact was started instead)
 *      └─▶ duplicate, failed, cancelled (from any live state)
 *
 * `failed`, `skipped` and `cancelled` can be re-queued by an operator
 * (`reelay retry`), which moves them back to `received`.
 */
import { IllegalTransitionError } from './errors.js';

export const renderStates = [
  'received',
  'enriched',
  'submitting',
  'rendering',
  // A finished video of a campaign with `review: required`, waiting for an operator's approve or reject.
  'awaiting_review',
  'completed',
  'failed',
  'skipped',
  'cancelled',
  'duplicate',
  'expanded',
] as const;
export type RenderState = (typeof renderStates)[number];

const transitions: Record<RenderState, readonly RenderState[]> = {
  // `expanded`: a deal or company trigger that started one render per recipient contact.
  received: ['enriched', 'skipped', 'duplicate', 'expanded', 'failed', 'cancelled'],
  enriched: ['submitting', 'skipped', 'failed', 'cancelled'],
  // A submission whose outcome is unknown stays in `submitting` until it is
  // resolved: to `rendering` (HeyGen has it) or `failed` (provably refused).
  submitting: ['rendering', 'failed', 'cancelled'],
  rendering: ['completed', 'awaiting_review', 'failed', 'cancelled'],
  awaiting_review: ['completed', 'failed', 'cancelled'],
  completed: [],
  failed: ['received'],
  skipped: ['received'],
  cancelled: ['received'],
  duplicate: [],
  expanded: [],
};

/** States a worker still has to act on. */
export const liveStates: readonly RenderState[] = ['received', 'enriched', 'submitting', 'rendering'];
/**
 * States waiting for an operator (a finished video to approve or reject): no
 * worker claims them, HeyGen is not asked about them, they are not timed
 * out and they do not count against the HeyGen concurrency window.
 */
export const reviewStates: readonly RenderState[] = ['awaiting_review'];
/** States in which HeyGen may be rendering (and billing) for us: the concurrency window counts these. */
export const inFlightStates: readonly RenderState[] = ['submitting', 'rendering'];
export const finalStates: readonly RenderState[] = ['completed', 'failed', 'skipped', 'cancelled', 'duplicate', 'expanded'];

export function canTransition(from: RenderState, to: RenderState): boolean {
  return transitions[from].includes(to);
}

export function assertTransition(from: RenderState, to: RenderState, renderId?: number | string): void {
  if (!canTransition(from, to)) throw new IllegalTransitionError(from, to, renderId);
}

export function isFinal(state: RenderState): boolean {
  return finalStates.includes(state);
}

export function isRenderState(value: string): value is RenderState {
  return (renderStates as readonly string[]).includes(value);
}

/** What Reelay writes to `heygen_render_status`, ranked so a write never moves backwards. */
export const crmStatuses = ['PENDING', 'PROCESSING', 'COMPLETED', 'FAILED'] as const;
export type CrmStatus = (typeof crmStatuses)[number];

const crmRank: Record<CrmStatus, number> = { PENDING: 1, PROCESSING: 2, COMPLETED: 3, FAILED: 3 };

export function crmStatusRank(status: CrmStatus | null | undefined): number {
  return status ? crmRank[status] : 0;
}

/** True when writing `next` after `current` would not move the CRM backwards. */
export function crmStatusAdvances(current: CrmStatus | null | undefined, next: CrmStatus): boolean {
  return crmStatusRank(next) > crmStatusRank(current);
}
