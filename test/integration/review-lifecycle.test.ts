/**
 * The lifecycle's review transitions on the real store (SQLite and
 * PostgreSQL): `awaitReview` keeps the link and tells the CRM PROCESSING
 * only, `approve` and `reject` are one guarded change each with one timeline
 * entry, counted only once committed; the review mode and the variant are
 * frozen in the plan at enrichment.
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { ManualClock } from '../../src/core/clock.js';
import { isIn, type Render } from '../../src/core/render.js';
import { accept, approve, awaitReview, enrich, findRenderById } from '../../src/engine/lifecycle.js';
import { approveReview, rejectReview } from '../../src/engine/operations.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { applyRenderChange } from '../../src/store/apply-render-change.js';
import { ingestEvents } from '../../src/store/ingest-events.js';
import { testDialects } from '../helpers/databases.js';
import { TEST_CONFIG } from '../helpers/harness.js';
import { triggerItem, useMigratedStore } from '../helpers/stores.js';

const NOW = Date.UTC(2026, 10, 27, 12);
const LINK = 'https://reelay.example/v/abcdefghijklmnopqrstuvwx';

describe.each(await testDialects())('review transitions on %s', (dialect) => {
  const fresh = useMigratedStore(dialect);
  const config = parseConfig(TEST_CONFIG.replace('    template: tpl_bdr_intro\n', '    template: tpl_bdr_intro\n    review: required\n'), {}, 'test config');

  function lifecycle() {
    const metrics = createMetrics({ defaultMetrics: false });
    return { ctx: { store: fresh.store, clock: new ManualClock(NOW), config, metrics }, metrics };
  }
  type Ctx = ReturnType<typeof lifecycle>['ctx'];

  async function counted(metrics: ReturnType<typeof createMetrics>, to: string): Promise<number> {
    const values = (await metrics.renderTransitions.get()).values;
    return values.filter((v) => v.labels.to === to).reduce((sum, v) => sum + v.value, 0);
  }

  async function load(ctx: Ctx, id: number): Promise<Render> {
    const render = await findRenderById(ctx, id);
    if (!render) throw new Error(`no render ${id}`);
    return render;
  }

  /** A bdr-intro render of the German variant, walked to `awaiting_review`. */
  async function waitingRender(ctx: Ctx): Promise<number> {
    const [outcome] = await ingestEvents(fresh.store, [triggerItem('e1', '10', 'bdr-intro')], NOW);
    const id = outcome?.renderIds[0] ?? 0;
    const received = await load(ctx, id);
    if (!isIn(received, 'received')) throw new Error('expected received');
    await enrich(ctx, received, { key: `rk_${'d'.repeat(64)}`, templateId: 'tpl_bdr_intro_de', title: 'Intro für Ada', variables: { first_name: 'Ada' }, variant: 'de' });
    expect(await applyRenderChange(fresh.store, { renderId: id, from: 'enriched', to: 'submitting', note: 'reserved' }, NOW)).toBe(true);
    const submitting = await load(ctx, id);
    if (!isIn(submitting, 'submitting')) throw new Error('expected submitting');
    await accept(ctx, submitting, 'vid-1', 'created');
    const rendering = await load(ctx, id);
    if (!isIn(rendering, 'rendering')) throw new Error('expected rendering');
    expect(await awaitReview(ctx, rendering, { video: { videoUrl: 'https://cdn.example/v.mp4', shareUrl: undefined, urlExpiresAt: NOW + 1000 }, token: 'abcdefghijklmnopqrstuvwx', link: LINK })).toBe(true);
    return id;
  }

  it('awaitReview keeps the video and its link, freezes review and variant, and queues PROCESSING only', async () => {
    const { ctx, metrics } = lifecycle();
    const id = await waitingRender(ctx);
    const render = await load(ctx, id);
    expect(render).toMatchObject({ state: 'awaiting_review', videoId: 'vid-1', linkToken: 'abcdefghijklmnopqrstuvwx', reviewLink: LINK, crmStatus: 'PROCESSING', finishedAt: null });
    expect(render.content?.plan).toMatchObject({ review: 'required', variant: 'de' });
    const payloads = (await fresh.store.db.selectFrom('outbox').select('properties').execute()).map((r) => r.properties).join('\n');
    expect(payloads).toContain('PROCESSING');
    expect(payloads).not.toContain(LINK);
    expect(await counted(metrics, 'awaiting_review')).toBe(1);
  });

  it('approve completes it once, with one timeline entry; a stale second approve changes nothing and is not counted', async () => {
    const { ctx, metrics } = lifecycle();
    const id = await waitingRender(ctx);
    const waiting = await load(ctx, id);
    if (!isIn(waiting, 'awaiting_review')) throw new Error('expected awaiting_review');
    expect(await approve(ctx, waiting)).toBe(true);
    expect(await approve(ctx, waiting)).toBe(false);
    expect(await counted(metrics, 'completed')).toBe(1);
    const done = await load(ctx, id);
    expect(done).toMatchObject({ state: 'completed', reviewLink: null, crmStatus: 'COMPLETED', finishedAt: NOW });
    const payloads = (await fresh.store.db.selectFrom('outbox').select('properties').execute()).map((r) => r.properties).join('\n');
    expect(payloads).toContain(LINK);
    const timeline = await fresh.store.db.selectFrom('render_timeline').selectAll().where('render_id', '=', id).where('to_state', '=', 'completed').execute();
    expect(timeline.map((t) => t.note)).toEqual([`approved by an operator; completed: ${LINK}`]);
    expect(await approveReview(ctx, id)).toEqual({ ok: false, code: 'wrong_state', reason: `render ${id} is completed, not awaiting_review; only a render awaiting review can be approved or rejected` });
  });

  it('reject fails it with "rejected: <reason>"; a blank reason, an unknown id or a render not waiting is refused and changes nothing', async () => {
    const { ctx, metrics } = lifecycle();
    const id = await waitingRender(ctx);
    expect(await rejectReview(ctx, id, '  ')).toEqual({ ok: false, code: 'invalid_input', reason: 'a rejection needs a reason' });
    expect(await rejectReview(ctx, 999_999, 'x')).toEqual({ ok: false, code: 'not_found', reason: 'no render 999999' });
    expect((await load(ctx, id)).state).toBe('awaiting_review');
    expect(await rejectReview(ctx, id, ' off\nbrand ')).toEqual({ ok: true, state: 'failed' });
    expect(await load(ctx, id)).toMatchObject({ state: 'failed', errorCode: 'rejected', errorMessage: 'rejected: off brand', crmStatus: 'FAILED', reviewLink: null });
    const payloads = (await fresh.store.db.selectFrom('outbox').select('properties').execute()).map((r) => r.properties).join('\n');
    expect(payloads).toContain('rejected: off brand');
    expect(await counted(metrics, 'failed')).toBe(1);
    expect(await rejectReview(ctx, id, 'again')).toMatchObject({ ok: false, code: 'wrong_state' });
    expect(await counted(metrics, 'failed')).toBe(1);
  });
});
