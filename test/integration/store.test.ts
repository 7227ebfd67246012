import { describe, expect, it } from 'vitest';
import { crmWrite } from '../../src/core/crm-write.js';
import { IllegalTransitionError } from '../../src/core/errors.js';
import { applyRenderChange } from '../../src/store/apply-render-change.js';
import { claimOutbox } from '../../src/store/claim-outbox.js';
import { claimRenders } from '../../src/store/claim-renders.js';
import { inTransaction, openStore } from '../../src/store/db.js';
import { enqueueCrmWrite } from '../../src/store/enqueue-crm-write.js';
import { renderTimeline } from '../../src/store/find-renders.js';
import { ingestEvents } from '../../src/store/ingest-events.js';
import { isMigrated, migrate } from '../../src/store/migrate.js';
import { pruneEngagement } from '../../src/store/prune-engagement.js';
import { pruneEvents } from '../../src/store/prune-events.js';
import { pruneFinishedRenders } from '../../src/store/prune-renders.js';
import { settleSentWrites } from '../../src/store/settle-outbox.js';
import { testDialects } from '../helpers/databases.js';
import { triggerItem, useMigratedStore } from '../helpers/stores.js';

const NOW = Date.UTC(2026, 10, 27, 12);


describe.each(await testDialects())('store on %s', (dialect) => {
  const fresh = useMigratedStore(dialect);

  it('applies migrations once, even when several processes start together', async () => {
    const { store, database } = fresh;
    const others = [openStore(database.url), openStore(database.url), openStore(database.url)];
    const results = await Promise.all(others.map((s) => migrate(s)));
    expect(results.flatMap((r) => r.applied)).toEqual([]);
    expect(await isMigrated(store)).toBe(true);
    await Promise.all(others.map((s) => s.close()));
  });

  it('stores an event once: a redelivery is a duplicate and starts nothing', async () => {
    const { store } = fresh;
    const first = await ingestEvents(store, [triggerItem('e1', '10')], NOW);
    const again = await ingestEvents(store, [triggerItem('e1', '10'), triggerItem('e2', '11')], NOW);
    expect(first[0]).toMatchObject({ duplicate: false });
    expect(again.map((o) => o.duplicate)).toEqual([true, false]);
    const renders = await store.db.selectFrom('renders').selectAll().execute();
    expect(renders.map((r) => r.object_id).sort()).toEqual(['10', '11']);
  });

  it('leases a due render to one worker at a time, and again once the lease has expired', async () => {
    const { store } = fresh;
    await ingestEvents(store, [triggerItem('e1', '10'), triggerItem('e2', '11'), triggerItem('e3', '12')], NOW);
    const claim = (workerId: string, now: number) =>
      claimRenders(store, { states: ['received'], workerId, now, leaseMs: 60_000, limit: 2 });
    const [a, b] = await Promise.all([claim('a', NOW), claim('b', NOW)]);
    const ids = [...a, ...b].map((r) => r.id);
    expect(new Set(ids).size).toBe(3);
    expect(await claim('c', NOW + 1_000)).toEqual([]);
    expect((await claim('c', NOW + 61_000)).length).toBe(2);
  });

  it('changes a render only along allowed transitions, once, with a timeline entry', async () => {
    const { store } = fresh;
    const [outcome] = await ingestEvents(store, [triggerItem('e1', '10')], NOW);
    const id = outcome?.renderIds[0] as number;
    await expect(applyRenderChange(store, { renderId: id, from: 'received', to: 'completed', note: 'x' }, NOW)).rejects.toBeInstanceOf(
      IllegalTransitionError,
    );
    expect(await applyRenderChange(store, { renderId: id, from: 'received', to: 'enriched', note: 'enriched' }, NOW)).toBe(true);
    // A second worker that still believes the render is `received` changes nothing.
    expect(await applyRenderChange(store, { renderId: id, from: 'received', to: 'skipped', note: 'late' }, NOW)).toBe(false);
    const timeline = await renderTimeline(store, id);
    expect(timeline.map((t) => t.to_state)).toEqual(['received', 'enriched']);
  });

  it('coalesces CRM writes per record: latest status wins, older renders never overwrite newer ones', async () => {
    const { store } = fresh;
    const target = { portalId: '1', objectType: 'contacts', objectId: '10' };
    await store.db.transaction().execute(async (trx) => {
      await enqueueCrmWrite(inTransaction(store, trx), target, crmWrite(5, { s: 'PENDING', job: 'v1' }, 'PENDING'), NOW, NOW);
      await enqueueCrmWrite(inTransaction(store, trx), target, crmWrite(5, { s: 'COMPLETED', url: 'u' }, 'COMPLETED'), NOW, NOW);
      await enqueueCrmWrite(inTransaction(store, trx), target, crmWrite(5, { s: 'PROCESSING' }, 'PROCESSING'), NOW, NOW);
      await enqueueCrmWrite(inTransaction(store, trx), target, crmWrite(4, { s: 'FAILED' }, 'FAILED'), NOW, NOW);
    });
    const rows = await store.db.selectFrom('outbox').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0]?.properties as string)).toEqual({ s: 'COMPLETED', job: 'v1', url: 'u' });
  });

  it('keeps a write that was coalesced while the previous content was being sent', async () => {
    const { store } = fresh;
    const target = { portalId: '1', objectType: 'contacts', objectId: '10' };
    await enqueueCrmWrite(store, target, crmWrite(5, { s: 'PENDING' }, 'PENDING'), NOW, NOW);
    const [claimed] = await claimOutbox(store, { workerId: 'w', now: NOW, leaseMs: 60_000, limit: 10 });
    await enqueueCrmWrite(store, target, crmWrite(5, { s: 'COMPLETED' }, 'COMPLETED'), NOW, NOW);
    await settleSentWrites(store, [claimed!]);
    const rows = await store.db.selectFrom('outbox').selectAll().execute();
    expect(rows.map((r) => JSON.parse(r.properties))).toEqual([{ s: 'COMPLETED' }]);
    await settleSentWrites(store, [rows[0]!]);
    expect(await store.db.selectFrom('outbox').selectAll().execute()).toEqual([]);
  });

  it('prunes raw events past retention but keeps renders and their timelines (the billing audit)', async () => {
    const { store } = fresh;
    await ingestEvents(store, [triggerItem('old', '10')], NOW - 40 * 86_400_000);
    await ingestEvents(store, [triggerItem('new', '11')], NOW);
    expect(await pruneEvents(store, NOW - 30 * 86_400_000)).toBe(1);
    const events = await store.db.selectFrom('events').select('dedupe_key').execute();
    expect(events.map((e) => e.dedupe_key)).toEqual(['new']);
    const renders = await store.db.selectFrom('renders').select('object_id').orderBy('id').execute();
    expect(renders.map((r) => r.object_id)).toEqual(['10', '11']);
    expect(await store.db.selectFrom('render_timeline').select('id').execute()).toHaveLength(2);
  });

  it('prunes renders finished past retention with their timelines, and keeps the rest', async () => {
    const { store } = fresh;
    const outcomes = await ingestEvents(store, [triggerItem('e1', '10'), triggerItem('e2', '11'), triggerItem('e3', '12')], NOW);
    const [old, recent, live] = outcomes.map((o) => o.renderIds[0] as number);
    await store.db.updateTable('renders').set({ state: 'failed', finished_at: NOW - 40 * 86_400_000 }).where('id', '=', old!).execute();
    await store.db.updateTable('renders').set({ state: 'failed', finished_at: NOW - 86_400_000 }).where('id', '=', recent!).execute();
    for (const id of [old!, recent!]) {
      await store.db.insertInto('engagement').values(engagementRow(id, NOW - 86_400_000)).execute();
      await store.db
        .insertInto('thumbnails')
        .values({ key: `gif:${id}`, render_id: id, content_type: 'image/gif', body: Buffer.from('GIF89a'), etag: `"${id}"`, created_at: NOW })
        .execute();
    }
    await pruneFinishedRenders(store, NOW - 30 * 86_400_000);
    const renders = await store.db.selectFrom('renders').select('id').orderBy('id').execute();
    expect(renders.map((r) => r.id)).toEqual([recent, live]);
    const timeline = await store.db.selectFrom('render_timeline').select('render_id').orderBy('render_id').execute();
    expect(timeline.map((t) => t.render_id)).toEqual([recent, live]);
    // A pruned render's engagement totals and images go with it.
    expect((await store.db.selectFrom('engagement').select('render_id').execute()).map((r) => r.render_id)).toEqual([recent]);
    expect((await store.db.selectFrom('thumbnails').select('render_id').execute()).map((r) => r.render_id)).toEqual([recent]);
  });

  it('prunes engagement totals untouched for retention.engagementDays, and keeps the rest', async () => {
    const { store } = fresh;
    const outcomes = await ingestEvents(store, [triggerItem('e1', '10'), triggerItem('e2', '11')], NOW);
    const [stale, fresh_] = outcomes.map((o) => o.renderIds[0] as number);
    await store.db.insertInto('engagement').values([engagementRow(stale!, NOW - 100 * 86_400_000), engagementRow(fresh_!, NOW - 86_400_000)]).execute();
    expect(await pruneEngagement(store, NOW - 90 * 86_400_000)).toBe(1);
    expect((await store.db.selectFrom('engagement').select('render_id').execute()).map((r) => r.render_id)).toEqual([fresh_]);
  });
});

function engagementRow(renderId: number, updatedAt: number) {
  return { render_id: renderId, portal_id: '1', object_type: 'contacts', object_id: String(renderId), plays: 1, max_percent: 50, last_played: updatedAt, cta_clicks: 0, updated_at: updatedAt };
}
