import { describe, expect, it } from 'vitest';
import { IllegalTransitionError } from '../../src/core/errors.js';
import {
  assertTransition,
  canTransition,
  crmStatusAdvances,
  crmStatuses,
  crmStatusRank,
  finalStates,
  inFlightStates,
  isFinal,
  isRenderState,
  liveStates,
  reviewStates,
  renderStates,
  type CrmStatus,
  type RenderState,
} from '../../src/core/states.js';

/** The machine as the architecture draws it, written out independently of states.ts. */
const allowed: Record<RenderState, RenderState[]> = {
  received: ['enriched', 'skipped', 'duplicate', 'expanded', 'failed', 'cancelled'],
  enriched: ['submitting', 'skipped', 'failed', 'cancelled'],
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

const pairs = renderStates.flatMap((from) => renderStates.map((to) => [from, to] as const));
const allowedPairs = pairs.filter(([from, to]) => allowed[from].includes(to));
const illegalPairs = pairs.filter(([from, to]) => !allowed[from].includes(to));

describe('render state machine', () => {
  it('covers every pair', () => {
    expect(allowedPairs.length + illegalPairs.length).toBe(renderStates.length ** 2);
    expect(allowedPairs).toHaveLength(23);
  });

  it.each(allowedPairs)('allows %s -> %s', (from, to) => {
    expect(canTransition(from, to)).toBe(true);
    expect(() => assertTransition(from, to)).not.toThrow();
  });

  it.each(illegalPairs)('refuses %s -> %s', (from, to) => {
    expect(canTransition(from, to)).toBe(false);
    expect(() => assertTransition(from, to)).toThrow(IllegalTransitionError);
  });

  it('names the render and both states in the error', () => {
    try {
      assertTransition('completed', 'received', 42);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(IllegalTransitionError);
      const illegal = error as IllegalTransitionError;
      expect(illegal.message).toBe('illegal render transition completed -> received (render 42)');
      expect([illegal.from, illegal.to]).toEqual(['completed', 'received']);
    }
  });

  it('never leaves completed or duplicate, and never skips submitting on the way to HeyGen', () => {
    for (const to of renderStates) {
      expect(canTransition('completed', to)).toBe(false);
      expect(canTransition('duplicate', to)).toBe(false);
      expect(canTransition('expanded', to)).toBe(false);
    }
    expect(canTransition('enriched', 'rendering')).toBe(false);
    expect(canTransition('received', 'submitting')).toBe(false);
  });

  it('partitions states into live, waiting for review, and final', () => {
    expect([...liveStates, ...reviewStates, ...finalStates].sort()).toEqual([...renderStates].sort());
    for (const state of [...liveStates, ...reviewStates]) expect(isFinal(state)).toBe(false);
    for (const state of finalStates) expect(isFinal(state)).toBe(true);
    expect(inFlightStates.every((s) => liveStates.includes(s))).toBe(true);
  });

  it('a render waiting for review: only from rendering; approve, reject or cancel; never in flight or live', () => {
    expect(renderStates.filter((from) => canTransition(from, 'awaiting_review'))).toEqual(['rendering']);
    expect(renderStates.filter((to) => canTransition('awaiting_review', to)).sort()).toEqual(['cancelled', 'completed', 'failed']);
    expect(inFlightStates).not.toContain('awaiting_review');
    expect(liveStates).not.toContain('awaiting_review');
    expect(isFinal('awaiting_review')).toBe(false);
  });

  it('recognises state names', () => {
    expect(isRenderState('rendering')).toBe(true);
    expect(isRenderState('RENDERING')).toBe(false);
    expect(isRenderState('done')).toBe(false);
  });
});

describe('CRM status', () => {
  const order: (CrmStatus | null)[] = [null, 'PENDING', 'PROCESSING', 'COMPLETED'];

  it('only moves forwards: PENDING, PROCESSING, then COMPLETED or FAILED', () => {
    for (let i = 0; i < order.length; i++) {
      for (let j = 1; j < order.length; j++) {
        const next = order[j] as CrmStatus;
        expect(crmStatusAdvances(order[i], next)).toBe(j > i);
      }
    }
  });

  it.each(crmStatuses)('never moves from COMPLETED or FAILED to %s', (next) => {
    expect(crmStatusAdvances('COMPLETED', next)).toBe(false);
    expect(crmStatusAdvances('FAILED', next)).toBe(false);
  });

  it('lets FAILED follow PENDING or PROCESSING, and anything follow nothing', () => {
    expect(crmStatusAdvances('PENDING', 'FAILED')).toBe(true);
    expect(crmStatusAdvances('PROCESSING', 'FAILED')).toBe(true);
    for (const next of crmStatuses) {
      expect(crmStatusAdvances(undefined, next)).toBe(true);
      expect(crmStatusAdvances(null, next)).toBe(true);
    }
  });

  it('ranks nothing lowest', () => {
    expect(crmStatusRank(null)).toBe(0);
    expect(crmStatusRank('PENDING')).toBeLessThan(crmStatusRank('PROCESSING'));
    expect(crmStatusRank('COMPLETED')).toBe(crmStatusRank('FAILED'));
  });
});
