/**
 * The render lifecycle as users see it: a campaign edited while a render is
 * in flight changes only renders enriched afterwards, and the transition
 * metric counts what was committed (operator retries and cancels included),
 * on SQLite and PostgreSQL.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { ManualClock } from '../../src/core/clock.js';
import { cancel, findRenderById, loadClaimed, retry, skip } from '../../src/engine/lifecycle.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { silentLogger } from '../../src/observability/logger.js';
import { startService, type Service } from '../../src/service.js';
import { ingestEvents } from '../../src/store/ingest-events.js';
import { applyRenderChange } from '../../src/store/apply-render-change.js';
import { claimRenders } from '../../src/store/claim-renders.js';
import { testDialects } from '../helpers/databases.js';
import { startHarness, TEST_CONFIG, type Harness } from '../helpers/harness.js';
import { triggerItem, useMigratedStore } from '../helpers/stores.js';

const NOW = Date.UTC(2026, 10, 27, 12);

describe.each(await testDialects())('a campaign edited mid-flight on %s', (dialect) => {
  let h: Harness | undefined;
  let restarted: Service | undefined;
  afterEach(async () => {
    await restarted?.stop();
    await h?.stop();
    restarted = undefined;
    h = undefined;
  });

  it('changes nothing for a render enriched before the edit: template, options and link mode are the ones it was enriched with', async () => {
    const harness = await startHarness({ dialect });
    h = harness;
    const crm = harness.sandbox.hubspot.crm;
    // HeyGen refuses every call for now: the render gets enriched, then waits in submission.
    harness.sandbox.heygen.control.setFaults({ errorRate: 1 });
    const id = crm.create('contacts', { firstname: 'Grace', company: 'Compilers Inc' }).id;
    expect((await harness.postHubSpot({ hs_object_id: Number(id) }, { query: '?campaign=bdr-intro' })).status).toBe(200);
    await harness.waitFor(
      async () => {
        const row = await harness.service.store.db.selectFrom('renders').select(['state', 'error_message']).executeTakeFirst();
        return row?.state === 'submitting' && row.error_message !== null;
      },
      20_000,
      'the render to be enriched and its first create to fail',
    );

    // The operator edits the campaign and restarts Reelay: another template and title, raw links, a folder.
    await harness.service.stop();
    const edited = parseConfig(TEST_CONFIG, {}, 'edited config');
    const campaign = edited.campaigns.find((c) => c.id === 'bdr-intro');
    if (!campaign) throw new Error('bdr-intro missing from the test config');
    campaign.template = 'tpl_renewal';
    campaign.title = 'Edited {{firstname}}';
    campaign.heygen = { folderId: 'folder-that-does-not-exist' };
    edited.heygen.link = 'raw';
    harness.sandbox.heygen.control.setFaults({ errorRate: 0 });
    restarted = await startService({ env: harness.env, config: edited, logger: silentLogger() });

    const props = await harness.waitFor(
      async () => {
        const p = crm.get('contacts', id)?.properties;
        return p?.heygen_render_status === 'COMPLETED' ? p : undefined;
      },
      30_000,
      'the video in the CRM',
    );
    const ledger = harness.sandbox.heygen.ledger();
    expect(ledger).toHaveLength(1);
    expect(ledger[0]).toMatchObject({ template_id: 'tpl_bdr_intro', billed: true });
    expect(ledger[0]?.title).toMatch(/^Intro for Grace at Compilers Inc/);
    // The link mode it was enriched with: Reelay's stable link, not the raw HeyGen URL.
    expect(props.heygen_video_url).toMatch(new RegExp(`^${harness.env.publicUrl}/v/`));
  });
});

describe.each(await testDialects())('render transitions counted on %s', (dialect) => {
  const fresh = useMigratedStore(dialect);
  const config = parseConfig(TEST_CONFIG, {}, 'test config');

  function lifecycle() {
    const metrics = createMetrics({ defaultMetrics: false });
    return { ctx: { store: fresh.store, clock: new ManualClock(NOW), config, metrics }, metrics };
  }

  async function counted(metrics: ReturnType<typeof createMetrics>, to: string): Promise<number> {
    const values = (await metrics.renderTransitions.get()).values;
    return values.filter((v) => v.labels.to === to).reduce((sum, v) => sum + v.value, 0);
  }

  it('counts a transition only once it is committed: a render another worker moved first is not counted', async () => {
    const { ctx, metrics } = lifecycle();
    const [outcome] = await ingestEvents(fresh.store, [triggerItem('e1', '10', 'bdr-intro')], NOW);
    const id = outcome?.renderIds[0] ?? 0;
    const seen = await findRenderById(ctx, id);
    if (seen?.state !== 'received') throw new Error('expected a received render');
    // Another worker skips it first.
    expect(await applyRenderChange(fresh.store, { renderId: id, from: 'received', to: 'skipped', note: 'elsewhere' }, NOW)).toBe(true);
    expect(await skip(ctx, seen, 'too late')).toBe(false);
    expect(await counted(metrics, 'skipped')).toBe(0);
    const row = await fresh.store.db.selectFrom('renders').select('state').where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.state).toBe('skipped');
  });

  it("counts an operator's cancel and retry", async () => {
    const { ctx, metrics } = lifecycle();
    const [outcome] = await ingestEvents(fresh.store, [triggerItem('e1', '10', 'bdr-intro')], NOW);
    const id = outcome?.renderIds[0] ?? 0;
    const received = await findRenderById(ctx, id);
    if (!received) throw new Error('no render');
    expect(await cancel(ctx, received)).toBe(true);
    const cancelled = await findRenderById(ctx, id);
    if (!cancelled) throw new Error('no render');
    expect(await retry(ctx, cancelled)).toBe(true);
    expect(await counted(metrics, 'cancelled')).toBe(1);
    expect(await counted(metrics, 'received')).toBe(1);
    expect((await findRenderById(ctx, id))?.state).toBe('received');
  });

  it('fails a claimed render whose row contradicts its state, with the reason, and goes on with the others', async () => {
    const { ctx, metrics } = lifecycle();
    const outcomes = await ingestEvents(fresh.store, [triggerItem('e1', '10', 'bdr-intro'), triggerItem('e2', '11', 'bdr-intro')], NOW);
    const [broken, fine] = outcomes.map((o) => o.renderIds[0] ?? 0);
    // A hand edit: "rendering" without a render key or a HeyGen video.
    await fresh.store.db.updateTable('renders').set({ state: 'rendering' }).where('id', '=', broken ?? 0).execute();
    const rows = await claimRenders(fresh.store, { states: ['received', 'rendering'], workerId: 'w', now: NOW, leaseMs: 60_000, limit: 10 });
    const renders = await loadClaimed(ctx, rows);
    expect(renders.map((r) => r.id)).toEqual([fine]);
    const row = await fresh.store.db.selectFrom('renders').selectAll().where('id', '=', broken ?? 0).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ state: 'failed', error_code: 'corrupt_render', leased_by: null });
    expect(row.error_message).toMatch(/rendering without a render key/);
    expect(await counted(metrics, 'failed')).toBe(1);
  });
});
