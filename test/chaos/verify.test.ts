/**
 * The chaos suite's judge, judged: a clean outcome passes, and each way of
 * losing something or paying twice is reported. Without this, a chaos run
 * that checks nothing would pass just as green.
 */
import { describe, expect, it } from 'vitest';
import type { LedgerEntry } from '../../src/sandbox/heygen/billing.js';
import type { SandboxRecord } from '../../src/sandbox/hubspot/server.js';
import type { RenderRow } from '../../src/store/schema.js';
import type { ChaosRecord } from './scenario.js';
import { verify, type VerifyInput } from './verify.js';

const PUBLIC_URL = 'http://127.0.0.1:4000';
const KEY_A = `rk_${'a'.repeat(64)}`;
const KEY_B = `rk_${'b'.repeat(64)}`;

function render(id: number, fields: Partial<RenderRow>): RenderRow {
  return {
    id,
    event_id: id,
    portal_id: '62515',
    campaign_id: 'bdr-intro',
    object_type: 'contacts',
    object_id: '1',
    trigger_object_type: null,
    trigger_object_id: null,
    state: 'completed',
    render_key: null,
    scope: null,
    submission: 1,
    api: 'v3',
    template_id: 'tpl_bdr_intro',
    title: null,
    variables: null,
    plan: null,
    video_id: null,
    suggested_video_id: null,
    heygen_status: null,
    video_url: null,
    video_url_expires_at: null,
    share_url: null,
    link_token: null,
    review_link: null,
    review_thumbnail: null,
    error_code: null,
    error_message: null,
    crm_status: null,
    attempts: 0,
    run_at: 0,
    leased_by: null,
    lease_until: null,
    created_at: 0,
    updated_at: 0,
    submitted_at: null,
    finished_at: null,
    ...fields,
  };
}

function created(videoId: string, callbackId: string, status: 'completed' | 'failed'): LedgerEntry {
  return {
    video_id: videoId,
    api: 'v3',
    template_id: 'tpl_bdr_intro',
    title: null,
    callback_id: callbackId,
    idempotency_key: callbackId,
    variables: {},
    unfilled_variables: [],
    created_at: new Date(0).toISOString(),
    status,
    billed: status !== 'failed',
    duration: 30,
  };
}

function crmOf(records: Record<string, Record<string, string>>): VerifyInput['crm'] {
  return {
    get: (type, id): SandboxRecord | undefined => {
      const properties = records[`${type}/${id}`];
      return properties ? { id, properties, createdAt: 0, updatedAt: 0 } : undefined;
    },
  };
}

const lead: ChaosRecord = { campaign: 'bdr-intro', objectType: 'contacts', objectId: '1', fit: true, triggers: 2 };
const junk: ChaosRecord = { campaign: 'bdr-intro', objectType: 'contacts', objectId: '2', fit: false, triggers: 1, skipReason: /^SKIPPED: first_name: / };

/** Lead 1 rendered once (its second trigger a duplicate) and COMPLETED; contact 2 skipped. */
function cleanRun(): VerifyInput {
  return {
    records: [lead, junk],
    crm: crmOf({
      'contacts/1': { heygen_render_status: 'COMPLETED', heygen_job_id: 'v1', heygen_video_url: `${PUBLIC_URL}/v/tok`, heygen_render_error: '' },
      'contacts/2': { heygen_render_error: 'SKIPPED: first_name: property firstname is a placeholder ("n/a")' },
    }),
    ledger: [created('v1', KEY_A, 'completed')],
    renders: [
      render(1, { render_key: KEY_A, state: 'completed', video_id: 'v1' }),
      render(2, { state: 'duplicate' }),
      render(3, { object_id: '2', state: 'skipped' }),
    ],
    failures: new Map(),
    publicUrl: PUBLIC_URL,
    pendingWrites: 0,
  };
}

describe('chaos verdict', () => {
  it('passes a run where every record ended right and every key was created once', () => {
    const verdict = verify(cleanRun());
    expect(verdict.problems).toEqual([]);
    expect(verdict.outcomes).toEqual({ completed: 1, failed: 0, skipped: 1 });
  });

  it('reports a render key created twice at HeyGen, and counts it as paid twice', () => {
    const input = cleanRun();
    const verdict = verify({ ...input, ledger: [...input.ledger, created('v2', KEY_A, 'completed')] });
    expect(verdict.problems.map((p) => p.text)).toContainEqual(expect.stringMatching(/was created 2 times at HeyGen \(v1 completed, v2 completed\)/));
    expect(verdict.duplicateBilling).toEqual({ keys: 1, records: 1 });
  });

  it('reports a record whose unchanged data rendered under two keys', () => {
    const input = cleanRun();
    const verdict = verify({
      ...input,
      ledger: [...input.ledger, created('v2', KEY_B, 'completed')],
      renders: [...input.renders.filter((r) => r.id !== 2), render(2, { render_key: KEY_B, state: 'completed', video_id: 'v2' })],
    });
    expect(verdict.problems.map((p) => p.text)).toContainEqual('bdr-intro contacts/1: 2 distinct render keys for unchanged data');
    expect(verdict.duplicateBilling.records).toBe(1);
  });

  it('reports a CRM left behind HeyGen, a render left live and a write left queued', () => {
    const input = cleanRun();
    const verdict = verify({
      ...input,
      crm: crmOf({ 'contacts/1': { heygen_render_status: 'PENDING', heygen_job_id: 'v1' }, 'contacts/2': { heygen_render_error: 'SKIPPED: first_name: blank' } }),
      renders: [...input.renders, render(4, { state: 'submitting' })],
      pendingWrites: 1,
    });
    const texts = verdict.problems.map((p) => p.text);
    expect(texts).toContainEqual('bdr-intro contacts/1: HeyGen completed v1 but the CRM shows PENDING');
    expect(texts).toContainEqual('render #4 (bdr-intro contacts/1) is still submitting');
    expect(texts).toContainEqual('1 CRM writes are still queued in the outbox');
    expect(verdict.problems.find((p) => p.text.includes('still submitting'))?.renderIds).toEqual([4]);
  });

  it('reports a FAILED record whose error does not carry HeyGen\'s failure code', () => {
    const input = cleanRun();
    const verdict = verify({
      ...input,
      crm: crmOf({
        'contacts/1': { heygen_render_status: 'FAILED', heygen_job_id: 'v1', heygen_render_error: 'render_failed: something went wrong' },
        'contacts/2': { heygen_render_error: 'SKIPPED: first_name: blank' },
      }),
      ledger: [created('v1', KEY_A, 'failed')],
      renders: [render(1, { render_key: KEY_A, state: 'failed', video_id: 'v1' }), render(3, { object_id: '2', state: 'skipped' })],
      failures: new Map([['v1', { code: 'VOICE_ERROR', message: 'Text-to-speech failed for this script' }]]),
    });
    expect(verdict.problems.map((p) => p.text)).toEqual([
      'bdr-intro contacts/1: heygen_render_error "render_failed: something went wrong" does not carry HeyGen\'s VOICE_ERROR: Text-to-speech failed for this script',
    ]);
  });

  it('reports a trigger Reelay kept no trace of, and a skipped record that got a status', () => {
    const input = cleanRun();
    const verdict = verify({
      ...input,
      crm: crmOf({ 'contacts/2': { heygen_render_status: 'PENDING', heygen_render_error: 'SKIPPED: first_name: blank' } }),
      ledger: [],
      renders: [render(3, { object_id: '2', state: 'skipped' })],
    });
    expect(verdict.problems.map((p) => p.text)).toEqual([
      'bdr-intro contacts/1: no render in the store: Reelay has no trace of its trigger',
      'bdr-intro contacts/2 has unfit data but heygen_render_status PENDING',
    ]);
  });
});
