import { describe, expect, it } from 'vitest';
import { decideFromStatus, isKnownHeygenStatus, normaliseHeygenStatus, type StatusFact } from '../../src/core/heygen-status.js';
import type { RenderState } from '../../src/core/states.js';

const young = { ageMs: 60_000, maxRenderAgeMs: 6 * 3_600_000 };
const old = { ageMs: 7 * 3_600_000, maxRenderAgeMs: 6 * 3_600_000 };

describe('normaliseHeygenStatus', () => {
  it.each([
    ['waiting', 'queued'],
    ['pending', 'queued'],
    ['queued', 'queued'],
    ['processing', 'processing'],
    ['completed', 'completed'],
    ['failed', 'failed'],
    ['not_found', 'not_found'],
    [' Completed ', 'completed'],
  ])('%j -> %s', (raw, expected) => {
    expect(normaliseHeygenStatus(raw)).toBe(expected);
    expect(isKnownHeygenStatus(raw)).toBe(true);
  });

  it('reads an undocumented status as processing, so it keeps being polled', () => {
    expect(normaliseHeygenStatus('draft')).toBe('processing');
    expect(isKnownHeygenStatus('draft')).toBe(false);
  });
});

describe('decideFromStatus', () => {
  const fact = (status: StatusFact['status'], extra: Partial<StatusFact> = {}): StatusFact => ({ status, ...extra });

  it('completes a rendering or submitting render', () => {
    expect(decideFromStatus('rendering', fact('completed'), young)).toEqual({ kind: 'complete' });
    expect(decideFromStatus('submitting', fact('completed'), young)).toEqual({ kind: 'complete' });
  });

  it('completes even past the maximum age', () => {
    expect(decideFromStatus('rendering', fact('completed'), old)).toEqual({ kind: 'complete' });
  });

  it('moves a submitting render on when HeyGen has it, and waits on a rendering one', () => {
    expect(decideFromStatus('submitting', fact('queued'), young)).toEqual({ kind: 'processing' });
    expect(decideFromStatus('submitting', fact('processing'), young)).toEqual({ kind: 'processing' });
    expect(decideFromStatus('rendering', fact('queued'), young)).toEqual({ kind: 'wait' });
    expect(decideFromStatus('rendering', fact('processing'), young)).toEqual({ kind: 'wait' });
  });

  it('times out a render past the maximum age', () => {
    expect(decideFromStatus('rendering', fact('processing'), old)).toEqual({
      kind: 'fail',
      code: 'render_timeout',
      reason: 'render timed out',
      pausesQueue: false,
    });
  });

  it('fails with HeyGen code and message', () => {
    expect(decideFromStatus('rendering', fact('failed', { failureCode: '40119', failureMessage: 'video is too long' }), young)).toEqual({
      kind: 'fail',
      code: '40119',
      reason: 'HeyGen failed the render: video is too long',
      pausesQueue: false,
    });
  });

  it('fails without details with a generic code', () => {
    expect(decideFromStatus('rendering', fact('failed'), young)).toEqual({
      kind: 'fail',
      code: 'render_failed',
      reason: 'HeyGen failed the render: no reason given',
      pausesQueue: false,
    });
  });

  it('pauses the queue when a render failed for lack of credit', () => {
    expect(decideFromStatus('rendering', fact('failed', { failureCode: 'MOVIO_PAYMENT_INSUFFICIENT_CREDIT', failureMessage: 'x' }), young)).toEqual({
      kind: 'fail',
      code: 'MOVIO_PAYMENT_INSUFFICIENT_CREDIT',
      reason: 'HeyGen account is out of credit: top up, then the queue resumes',
      pausesQueue: true,
    });
  });

  it('reports a video HeyGen does not know as lost', () => {
    expect(decideFromStatus('submitting', fact('not_found'), young)).toEqual({ kind: 'lost' });
    expect(decideFromStatus('rendering', fact('not_found'), young)).toEqual({ kind: 'lost' });
  });

  it.each<RenderState>(['completed', 'failed', 'skipped', 'cancelled', 'duplicate'])('ignores facts about a %s render', (state) => {
    expect(decideFromStatus(state, fact('completed'), young)).toEqual({ kind: 'ignore', reason: `render is already ${state}` });
  });

  it.each<RenderState>(['received', 'enriched'])('ignores facts about a %s render', (state) => {
    expect(decideFromStatus(state, fact('processing'), young)).toEqual({ kind: 'ignore', reason: 'render not submitted yet' });
  });
});
