/**
 * Store ↔ domain: a render row becomes a `Render` once, with its variables
 * and plan parsed; a row that contradicts its state is refused, not carried on.
 */
import { describe, expect, it } from 'vitest';
import type { RenderPlan } from '../../src/core/render.js';
import { CorruptRenderError, planColumn, toRender, variablesColumn } from '../../src/store/render-mapper.js';
import type { RenderRow } from '../../src/store/schema.js';

const KEY = `rk_${'c'.repeat(64)}`;
const plan: RenderPlan = {
  heygen: { caption: true },
  writeback: { mode: 'record', targets: [{ objectType: 'deals', objectId: '7' }] },
  link: 'share',
  properties: { status: 's', url: 'u', jobId: 'j', error: 'e' },
};
const legacy: RenderPlan = { ...plan, heygen: {}, link: 'stable' };

function row(fields: Partial<RenderRow>): RenderRow {
  return {
    id: 1, event_id: 3, portal_id: '62515', campaign_id: 'onboarding', object_type: 'contacts', object_id: '5',
    trigger_object_type: 'deals', trigger_object_id: '7', state: 'received', render_key: null, scope: null, submission: 1,
    api: 'v3', template_id: 'tpl', title: null, variables: null, plan: null, video_id: null, suggested_video_id: null,
    heygen_status: null, video_url: null, video_url_expires_at: null, share_url: null, link_token: null, review_link: null, review_thumbnail: null, error_code: null,
    error_message: null, crm_status: null, attempts: 0, run_at: 0, leased_by: null, lease_until: null, created_at: 0,
    updated_at: 0, submitted_at: null, finished_at: null, ...fields,
  };
}

describe('a render row as the engine sees it', () => {
  it('has no content before enrichment, and its records as references', () => {
    const render = toRender(row({}), () => legacy);
    expect(render).toMatchObject({ state: 'received', content: null, recipient: { objectType: 'contacts', objectId: '5' }, trigger: { objectType: 'deals', objectId: '7' } });
  });

  it('carries its parsed variables and frozen plan once enriched', () => {
    const render = toRender(row({ state: 'enriched', render_key: KEY, title: 'Hi', variables: variablesColumn({ first_name: 'Ada' }), plan: planColumn(plan) }), () => legacy);
    expect(render.content).toEqual({ key: KEY, templateId: 'tpl', title: 'Hi', variables: { first_name: 'Ada' }, plan });
  });

  it('gives a render enriched before plans were stored the plan the current config makes', () => {
    const render = toRender(row({ state: 'submitting', render_key: KEY, title: 'Hi', variables: '{}' }), () => legacy);
    expect(render.content?.plan).toEqual(legacy);
  });

  it('refuses a row that contradicts its state', () => {
    expect(() => toRender(row({ state: 'enriched' }), () => legacy)).toThrow(CorruptRenderError);
    expect(() => toRender(row({ state: 'rendering', render_key: KEY }), () => legacy)).toThrow(/without a HeyGen video id/);
    expect(() => toRender(row({ state: 'enriched', render_key: KEY, variables: '{"a":1}' }), () => legacy)).toThrow(/variables/);
  });
});
