/**
 * Render transitions asked for together (a stage moving its batch) share
 * one commit on SQLite, and each keeps its own guard, timeline entry and
 * count: a render another worker moved is skipped while the others apply,
 * and a change that fails (a content key another render holds) fails only
 * for its own caller. On SQLite and PostgreSQL.
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { ManualClock } from '../../src/core/clock.js';
import type { RenderIn } from '../../src/core/render.js';
import { enrich, findRenderById, skip } from '../../src/engine/lifecycle.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { applyRenderChange } from '../../src/store/apply-render-change.js';
import { ingestEvents } from '../../src/store/ingest-events.js';
import { testDialects } from '../helpers/databases.js';
import { TEST_CONFIG } from '../helpers/harness.js';
import { triggerItem, useMigratedStore } from '../helpers/stores.js';

const NOW = Date.UTC(2026, 11, 1, 12);

describe.each(await testDialects())('render transitions asked for together on %s', (dialect) => {
  const fresh = useMigratedStore(dialect);
  const config = parseConfig(TEST_CONFIG, {}, 'test config');

  function lifecycle() {
    const metrics = createMetrics({ defaultMetrics: false });
    return { ctx: { store: fresh.store, clock: new ManualClock(NOW), config, metrics }, metrics };
  }

  async function received(ctx: ReturnType<typeof lifecycle>['ctx'], n: number): Promise<RenderIn<'received'>[]> {
    const outcomes = await ingestEvents(fresh.store, Array.from({ length: n }, (_, i) => triggerItem(`e${i}`, String(100 + i), 'bdr-intro')), NOW);
    const renders: RenderIn<'received'>[] = [];
    for (const outcome of outcomes) {
      const render = await findRenderById(ctx, outcome.renderIds[0] ?? 0);
      if (render?.state !== 'received') throw new Error('expected a received render');
      renders.push(render as RenderIn<'received'>);
    }
    return renders;
  }

  async function timeline(id: number) {
    return fresh.store.db.selectFrom('render_timeline').select(['from_state', 'to_state', 'note']).where('render_id', '=', id).orderBy('id').execute();
  }

  it('skips a render another worker moved and applies the others, one timeline entry each, counted once committed', async () => {
    const { ctx, metrics } = lifecycle();
    const renders = await received(ctx, 5);
    const moved = renders[2] as RenderIn<'received'>;
    expect(await applyRenderChange(fresh.store, { renderId: moved.id, from: 'received', to: 'skipped', note: 'elsewhere' }, NOW)).toBe(true);

    const results = await Promise.all(renders.map((render) => skip(ctx, render, 'no first name')));
    expect(results).toEqual([true, true, false, true, true]);
    const skipped = (await metrics.renderTransitions.get()).values.filter((v) => v.labels.to === 'skipped').reduce((sum, v) => sum + v.value, 0);
    expect(skipped).toBe(4);
    for (const render of renders) {
      const entries = await timeline(render.id);
      expect(entries.map((e) => e.to_state)).toEqual(['received', 'skipped']);
      expect(entries[1]?.note).toBe(render === moved ? 'elsewhere' : 'skipped: no first name');
    }
    // The CRM learns why, once per skipped render (the other worker's skip queued nothing).
    const queued = await fresh.store.db.selectFrom('outbox').select('object_id').execute();
    expect(queued.map((q) => q.object_id).sort()).toEqual(['100', '101', '103', '104']);
  });

  it('a change that cannot apply fails for its own caller only; the others in the batch commit', async () => {
    const { ctx } = lifecycle();
    const [a, b, c] = await received(ctx, 3);
    if (!a || !b || !c) throw new Error('three renders expected');
    const content = (key: string) => ({ key, templateId: 'tpl_bdr_intro', title: 'Intro', variables: { first_name: 'Ada' } });
    // a and b claim the same content key in one batch: the store's unique key lets one have it.
    const results = await Promise.allSettled([enrich(ctx, a, content('same-key')), enrich(ctx, b, content('same-key')), enrich(ctx, c, content('own-key'))]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const states = await fresh.store.db.selectFrom('renders').select(['id', 'state', 'render_key']).orderBy('id').execute();
    expect(states).toEqual([
      { id: a.id, state: 'enriched', render_key: 'same-key' },
      { id: b.id, state: 'received', render_key: null },
      { id: c.id, state: 'enriched', render_key: 'own-key' },
    ]);
    expect((await timeline(b.id)).map((e) => e.to_state)).toEqual(['received']);
  });
});
