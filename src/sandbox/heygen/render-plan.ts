/**
 * The fate of a render, decided once when it is accepted, from randomness
 * keyed by its video id (so it does not depend on timer order).
 */
import type { Random } from '../../core/clock.js';
import { pickInRange, type Range } from './entropy.js';
import type { FaultSettings } from './faults.js';

export type RenderOutcome =
  | { kind: 'complete'; durationS: number }
  | { kind: 'fail'; code: string; message: string }
  /** Accepted at submit, then fails early: HeyGen finds out about credit late. */
  | { kind: 'insufficient_credit' }
  | { kind: 'stuck' };

export interface RenderPlan {
  /** Real milliseconds from start to the final status. */
  renderMs: number;
  outcome: RenderOutcome;
}

export const INSUFFICIENT_CREDIT_CODE = 'MOVIO_PAYMENT_INSUFFICIENT_CREDIT';
export const INSUFFICIENT_CREDIT_MESSAGE = 'Insufficient credit to render this video';

const failureMessages: Record<string, string> = {
  RENDER_FAILED: 'The video could not be rendered',
  '40119': 'Video is too long',
  AVATAR_NOT_FOUND: 'The avatar used by the template no longer exists',
  VOICE_ERROR: 'Text-to-speech failed for this script',
};

export function failureMessage(code: string): string {
  return failureMessages[code] ?? `Render failed (${code})`;
}

export function planRender(random: Random, renderMs: Range, faults: FaultSettings): RenderPlan {
  // A fixed number of draws in a fixed order, whatever the outcome.
  const ms = pickInRange(random, renderMs);
  const creditDraw = random();
  const failDraw = random();
  const codeDraw = random();
  const stuckDraw = random();
  const durationS = 15 + Math.round(random() * 75);

  let outcome: RenderOutcome = { kind: 'complete', durationS };
  if (creditDraw < faults.insufficientCreditRate) {
    outcome = { kind: 'insufficient_credit' };
  } else if (failDraw < faults.failRate) {
    const code = faults.failCodes[Math.floor(codeDraw * faults.failCodes.length)] ?? 'RENDER_FAILED';
    outcome = { kind: 'fail', code, message: failureMessage(code) };
  } else if (stuckDraw < faults.stuckRate) {
    outcome = { kind: 'stuck' };
  }
  return { renderMs: ms, outcome };
}
