/**
 * The render statistics (migration 014) on SQLite and PostgreSQL: after a
 * mix of everything that writes renders, done through the real lifecycle
 * and store functions, the dashboard's overview read from the statistics
 * equals the one counted the plain way, with GROUP BY over `renders` (the
 * reference queries are here, not in `src/`): with every change still in
 * the log, with half of it folded, and with all of it folded. Two
 * compactors at once on PostgreSQL fold every change exactly once; a
 * database that had renders before 014 gets them counted. The render list,
 * which reads the statistics' day counts to choose how to find a created-time
 * range, lists the same renders whichever way it goes.
 */
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { listRenderPage } from '../../src/app/dashboard-renders.js';
import { campaignOverview, DAY_MS, OVERVIEW_DAYS, startOfUtcDay, type CampaignOverview, type Overview } from '../../src/app/dashboard-overview.js';
import { parseConfig } from '../../src/config/load.js';
import type { ReelayConfig } from '../../src/config/schema.js';
import { ManualClock } from '../../src/core/clock.js';
import { isIn, type Render } from '../../src/core/render.js';
import { liveStates, renderStates, type RenderState } from '../../src/core/states.js';
import { foldRenderStats } from '../../src/engine/housekeeping.js';
import {
  accept,
  awaitReview,
  approve,
  cancel,
  complete,
  enrich,
  erasePersonalData,
  expand,
  fail,
  findRenderById,
  receive,
  reserve,
  retry,
  skip,
  type LifecycleContext,
} from '../../src/engine/lifecycle.js';
import { compactRenderStats } from '../../src/store/compact-render-stats.js';
import { openStore, type Store } from '../../src/store/db.js';
import { engagementByCampaign } from '../../src/store/engagement-by-campaign.js';
import type { IngestItem } from '../../src/store/ingest-events.js';
import { countRendersByState } from '../../src/store/list-renders.js';
import { countByState } from '../../src/app/list-renders.js';
import { migrate } from '../../src/store/migrate.js';
import { createMigrator } from '../../src/store/migrations/index.js';
import { pruneFinishedRenders } from '../../src/store/prune-renders.js';
import { readRenderStats } from '../../src/store/read-render-stats.js';
import { createTestDatabase, testDialects, type TestDatabase } from '../helpers/databases.js';
import { seedRenders, type SeedRender } from '../helpers/dashboard.js';
import { TEST_CONFIG } from '../helpers/harness.js';
import { triggerItem, useMigratedStore } from '../helpers/stores.js';

const NOW = Date.UTC(2026, 10, 27, 12);
const HOUR = 3_600_000;

// ---------------------------------------------------------------- the reference: plain GROUP BY over renders

/** The overview as the dashboard counted it before the statistics: grouped queries over `renders`. */
async function referenceOverview(store: Store, config: ReelayConfig, now: number): Promise<Overview> {
  const { db } = store;
  const today = startOfUtcDay(now);
  const since = today - (OVERVIEW_DAYS - 1) * DAY_MS;
  const counts = await db
    .selectFrom('renders')
    .select(['campaign_id', 'state', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(['campaign_id', 'state'])
    .execute();
  const billed = async (from: number) => {
    const rows = await db
      .selectFrom('renders')
      .select(['campaign_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('submitted_at', '>=', from)
      .where('video_id', 'is not', null)
      .groupBy('campaign_id')
      .execute();
    return new Map(rows.map((r) => [r.campaign_id, Number(r.n)]));
  };
  const [billedToday, billed30] = [await billed(today), await billed(since)];
  const reason = sql<string>`coalesce(case when state = 'skipped' then error_message else error_code end, '(none given)')`;
  const reasons = await db
    .selectFrom('renders')
    .select(['campaign_id', 'state', reason.as('reason'), (eb) => eb.fn.countAll<number>().as('n')])
    .where('state', 'in', ['failed', 'skipped'])
    .where('finished_at', '>=', since)
    .groupBy(['campaign_id', 'state', reason])
    .execute();
  const triggered = await db
    .selectFrom('renders')
    .select([sql<number>`created_at / ${sql.lit(DAY_MS)}`.as('day'), (eb) => eb.fn.countAll<number>().as('n')])
    .where('created_at', '>=', since)
    .where('state', '!=', 'expanded')
    .groupBy(sql`created_at / ${sql.lit(DAY_MS)}`)
    .execute();
  const finished = await db
    .selectFrom('renders')
    .select(['state', sql<number>`finished_at / ${sql.lit(DAY_MS)}`.as('day'), (eb) => eb.fn.countAll<number>().as('n')])
    .where('state', 'in', ['completed', 'failed'])
    .where('finished_at', '>=', since)
    .groupBy(['state', sql`finished_at / ${sql.lit(DAY_MS)}`])
    .execute();
  const engagement = await engagementByCampaign(store);

  const ids = [...config.campaigns.map((c) => c.id), ...[...new Set(counts.map((c) => c.campaign_id))].filter((id) => !config.campaigns.some((c) => c.id === id)).sort()];
  const campaigns: CampaignOverview[] = ids.map((id) => {
    const configured = config.campaigns.find((c) => c.id === id);
    const states = Object.fromEntries(renderStates.map((s) => [s, 0])) as Record<RenderState, number>;
    for (const row of counts) if (row.campaign_id === id) states[row.state] = Number(row.n);
    const top = (state: string) =>
      reasons
        .filter((r) => r.campaign_id === id && r.state === state)
        .map((r) => ({ reason: r.reason, n: Number(r.n) }))
        .sort((a, b) => b.n - a.n || (a.reason < b.reason ? -1 : a.reason > b.reason ? 1 : 0))
        .slice(0, 3);
    return {
      id,
      configured: configured !== undefined,
      enabled: configured?.enabled ?? false,
      states,
      triggered: renderStates.filter((s) => s !== 'expanded').reduce((sum, s) => sum + states[s], 0),
      rendered: states.completed,
      skipped: states.skipped,
      failed: states.failed,
      inFlight: liveStates.reduce((sum, s) => sum + states[s], 0),
      billedToday: billedToday.get(id) ?? 0,
      billed30Days: billed30.get(id) ?? 0,
      plays: engagement.get(id)?.plays ?? 0,
      ctaClicks: engagement.get(id)?.ctaClicks ?? 0,
      topSkipped: top('skipped'),
      topFailed: top('failed'),
    };
  });
  const firstDay = since / DAY_MS;
  const days = Array.from({ length: OVERVIEW_DAYS }, (_, i) => {
    const day = firstDay + i;
    const n = (rows: { day: number; n: number }[]) => Number(rows.find((r) => Number(r.day) === day)?.n ?? 0);
    return { day, triggered: n(triggered), completed: n(finished.filter((f) => f.state === 'completed')), failed: n(finished.filter((f) => f.state === 'failed')) };
  });
  return { at: now, campaigns, days };
}

async function pendingChanges(store: Store): Promise<number> {
  const row = await store.db.selectFrom('render_stat_changes').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * The overview from the statistics equals the reference: with the log as
 * it is, with half of it folded, with all of it folded; at `now` and ten
 * days earlier (other windows). The per-state metric agrees too.
 */
async function expectExact(store: Store, config: ReelayConfig, label: string): Promise<void> {
  const same = async (stage: string) => {
    for (const at of [NOW, NOW - 10 * 24 * HOUR]) {
      expect(await campaignOverview(store, config, at), `${label}, ${stage}, at ${new Date(at).toISOString()}`).toEqual(await referenceOverview(store, config, at));
    }
    const perState = new Map<string, number>();
    for (const s of await readRenderStats(store)) perState.set(s.key, (perState.get(s.key) ?? 0) + s.n);
    expect(Object.fromEntries(perState), `${label}, ${stage}: renders per state`).toEqual(await countRendersByState(store));
    // `reelay jobs` and the demo read them from the statistics, for all renders and per campaign.
    expect(await countByState(store), `${label}, ${stage}: reelay jobs' counts`).toEqual(await countRendersByState(store));
    for (const campaignId of ['bdr-intro', 'onboarding', 'renewal', 'gone']) {
      expect(await countByState(store, { campaignId }), `${label}, ${stage}: counts of ${campaignId}`).toEqual(await countRendersByState(store, { campaignId }));
    }
  };
  await same('nothing folded');
  const pending = await pendingChanges(store);
  if (pending > 1) {
    expect(await compactRenderStats(store, Math.ceil(pending / 2))).toBe(Math.ceil(pending / 2));
    await same('half folded');
  }
  await foldRenderStats({ store });
  expect(await pendingChanges(store)).toBe(0);
  await same('all folded');
}

// ---------------------------------------------------------------- a mix of everything that writes renders

function dealTrigger(key: string, dealId: string): IngestItem {
  return {
    event: { source: 'hubspot', dedupe_key: key, portal_id: '1', kind: 'subscription', object_type: 'deals', object_id: dealId, campaign_id: 'onboarding', status: 'accepted', reason: null, payload: '{}' },
    renders: [
      { portal_id: '1', campaign_id: 'onboarding', object_type: 'deals', object_id: dealId, trigger_object_type: null, trigger_object_id: null, render_key: null, submission: 1, api: 'v3', template_id: 'tpl_onboarding' },
    ],
  };
}

let contentSeq = 0;
const content = (name: string) => {
  contentSeq += 1;
  return { key: `key-${contentSeq}-${name}`, templateId: 'tpl', title: `Video for ${name}`, variables: { first_name: name } };
};
const done = (id: number) => ({ video: { videoUrl: `https://v/${id}.mp4` }, token: `tok${id}`, link: `https://l/${id}` });

async function renderOf(ctx: LifecycleContext, id: number): Promise<Render> {
  const r = await findRenderById(ctx, id);
  if (!r) throw new Error(`no render ${id}`);
  return r;
}

/** Received → enriched → submitting → rendering: the render now has a video id (billed). */
async function toRendering(ctx: LifecycleContext, id: number, name: string): Promise<void> {
  const r = await renderOf(ctx, id);
  if (!isIn(r, 'received')) throw new Error(`render ${id} is ${r.state}`);
  expect(await enrich(ctx, r, content(name))).toBe(true);
  const reserved = await reserve(ctx, { workerId: 'w', now: ctx.clock.now(), leaseMs: 60_000, windowSize: 100, limit: 100 });
  const mine = reserved.find((x) => x.id === id);
  if (!mine) throw new Error(`render ${id} was not reserved`);
  for (const other of reserved.filter((x) => x.id !== id)) throw new Error(`render ${other.id} reserved unexpectedly`);
  expect(await accept(ctx, mine, `vid_${id}`, 'accepted')).toBe(true);
}

async function received(ctx: LifecycleContext, items: IngestItem[]): Promise<number[]> {
  return (await receive(ctx.store, items, ctx.clock.now())).flatMap((o) => o.renderIds);
}

describe.each(await testDialects())('render statistics on %s', (dialect) => {
  const fresh = useMigratedStore(dialect);
  const config = parseConfig(TEST_CONFIG, {}, 'test config');

  it('count what the plain queries count, through every kind of write, folded or not', async () => {
    const { store } = fresh;
    const clock = new ManualClock(NOW - 40 * 24 * HOUR);
    const ctx: LifecycleContext = { store, clock, config };

    // 40 days ago: renders that completed, failed, were skipped, and one rendering (billed) still.
    const old = await received(ctx, [triggerItem('o1', '1', 'bdr-intro'), triggerItem('o2', '2', 'bdr-intro'), triggerItem('o3', '3', 'renewal'), triggerItem('o4', '4', 'bdr-intro')]);
    await toRendering(ctx, old[0] as number, 'Ada');
    expect(await complete(ctx, (await renderOf(ctx, old[0] as number)) as never, done(old[0] as number))).toBe(true);
    const o2 = await renderOf(ctx, old[1] as number);
    expect(await skip(ctx, o2 as never, 'first_name is empty')).toBe(true);
    clock.advance(3 * HOUR);
    await toRendering(ctx, old[2] as number, 'Grace');
    expect(await fail(ctx, await renderOf(ctx, old[2] as number), { code: 'render_failed', reason: 'HeyGen said no', heygenFailed: true })).toBe(true);
    await toRendering(ctx, old[3] as number, 'Linus');
    await expectExact(store, config, '40 days ago');

    // 10 days ago: a deal trigger expanded to three contacts; one of them skipped, one cancelled, one failed and retried.
    clock.set(NOW - 10 * 24 * HOUR);
    const [deal] = await received(ctx, [dealTrigger('d1', '77')]);
    const trigger = await renderOf(ctx, deal as number);
    if (!isIn(trigger, 'received')) throw new Error('the deal trigger is not received');
    const recipients = await expand(ctx, trigger, [{ objectType: 'contacts', objectId: '501' }, { objectType: 'contacts', objectId: '502' }, { objectType: 'contacts', objectId: '503' }], 'expanded');
    if (!recipients) throw new Error('not expanded');
    const [r1, r2, r3] = recipients as [number, number, number];
    expect(await skip(ctx, (await renderOf(ctx, r1)) as never, 'no email')).toBe(true);
    expect(await cancel(ctx, await renderOf(ctx, r2))).toBe(true);
    await toRendering(ctx, r3, 'Ken');
    expect(await fail(ctx, await renderOf(ctx, r3), { code: 'timeout', reason: 'too slow' })).toBe(true);
    await expectExact(store, config, 'expanded');
    clock.advance(26 * HOUR);
    expect(await retry(ctx, await renderOf(ctx, r3))).toBe(true);
    await toRendering(ctx, r3, 'Ken');
    expect(await complete(ctx, (await renderOf(ctx, r3)) as never, done(r3))).toBe(true);
    // The old render still rendering fails now, with the code of another.
    expect(await fail(ctx, await renderOf(ctx, old[3] as number), { code: 'render_failed', reason: 'late' })).toBe(true);
    await expectExact(store, config, 'retried');

    // Today: a review, new renders in flight, an operator's cancel, an erased record.
    clock.set(NOW - 2 * HOUR);
    const today = await received(ctx, [triggerItem('t1', '11', 'bdr-intro'), triggerItem('t2', '12', 'bdr-intro'), triggerItem('t3', '13', 'renewal'), triggerItem('t4', '2', 'bdr-intro')]);
    const [t1, t2, t3, t4] = today as [number, number, number, number];
    await toRendering(ctx, t1, 'Barbara');
    expect(await awaitReview(ctx, (await renderOf(ctx, t1)) as never, done(t1))).toBe(true);
    expect(await approve(ctx, (await renderOf(ctx, t1)) as never)).toBe(true);
    await toRendering(ctx, t2, 'Edsger');
    expect(await cancel(ctx, await renderOf(ctx, t3))).toBe(true);
    expect(await skip(ctx, (await renderOf(ctx, t4)) as never, 'first_name is empty')).toBe(true);
    // Contact 2 asks to be forgotten: its skipped renders lose their message (the reason becomes "(none given)").
    const erased = await erasePersonalData(ctx, { objectType: 'contacts', objectId: '2', deleteVideos: false, now: clock.now() });
    expect(erased.renders).toBe(2);
    await expectExact(store, config, 'today');

    // Retention: renders finished more than 30 days ago go.
    await pruneFinishedRenders(store, NOW - 30 * 24 * HOUR);
    const left = await store.db.selectFrom('renders').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(left.n)).toBe(9); // the three finished 40 days ago went
    await expectExact(store, config, 'pruned');

    // A render of a campaign no longer configured, and every render of a campaign deleted by hand.
    await seedRenders(store, [{ campaign: 'retired', state: 'failed', createdAt: NOW - HOUR, errorCode: 'x' }]);
    await store.db.deleteFrom('renders').where('campaign_id', '=', 'renewal').execute();
    await expectExact(store, config, 'deleted by hand');
  });

  it('appends two changes for a typical transition, and none for a change of no statistic', async () => {
    const { store } = fresh;
    const ctx: LifecycleContext = { store, clock: new ManualClock(NOW), config };
    const [id] = await received(ctx, [triggerItem('e1', '10', 'bdr-intro')]);
    const before = await pendingChanges(store);
    expect(before).toBe(2); // state received, triggered today
    const r = await renderOf(ctx, id as number);
    if (!isIn(r, 'received')) throw new Error('not received');
    expect(await enrich(ctx, r, content('Ada'))).toBe(true);
    const changes = await store.db.selectFrom('render_stat_changes').select(['metric', 'key', 'n']).orderBy('id').execute();
    expect(changes.slice(2).map((c) => [c.metric, c.key, Number(c.n)]).sort()).toEqual([
      ['state', 'enriched', 1],
      ['state', 'received', -1],
    ]);
    await store.db.updateTable('renders').set({ leased_by: 'x', lease_until: NOW, title: 'other' }).where('id', '=', id as number).execute();
    expect(await pendingChanges(store)).toBe(4);
  });

  it('folds 100,000 changes in housekeeping batches', async () => {
    const { store } = fresh;
    const rows = Array.from({ length: 100_000 }, (_, i) => ({ campaign_id: `c${i % 7}`, metric: 'state', key: i % 2 === 0 ? 'received' : 'enriched', day: 0, n: i % 3 === 0 ? -1 : 1 }));
    for (let i = 0; i < rows.length; i += 5_000) await store.db.insertInto('render_stat_changes').values(rows.slice(i, i + 5_000)).execute();
    const started = performance.now();
    expect(await foldRenderStats({ store })).toBe(100_000);
    const ms = performance.now() - started;
    expect(await pendingChanges(store)).toBe(0);
    const expected = new Map<string, number>();
    for (const r of rows) expected.set(`${r.campaign_id}/${r.key}`, (expected.get(`${r.campaign_id}/${r.key}`) ?? 0) + r.n);
    const stats = await store.db.selectFrom('render_stats').select(['campaign_id', 'key', 'n']).execute();
    expect(new Map(stats.map((s) => [`${s.campaign_id}/${s.key}`, Number(s.n)]))).toEqual(expected);
    expect(ms).toBeLessThan(20_000);
  });
});

describe.each((await testDialects()).filter((d) => d === 'postgres'))('render statistics compacted concurrently on %s', (dialect) => {
  const fresh = useMigratedStore(dialect);
  const config = parseConfig(TEST_CONFIG, {}, 'test config');
  const others: Store[] = [];
  afterEach(async () => {
    await Promise.all(others.splice(0).map((s) => s.close()));
  });

  it('two compactors at once fold every change exactly once, beside writers, without deadlocking', async () => {
    const { store, database } = fresh;
    const a = openStore(database.url);
    const b = openStore(database.url);
    others.push(a, b);
    const clock = new ManualClock(NOW);
    const ctx: LifecycleContext = { store, clock, config };
    const campaigns = ['bdr-intro', 'renewal'];
    const ids = await received(
      ctx,
      Array.from({ length: 400 }, (_, i) => triggerItem(`e${i}`, String(1000 + i), campaigns[i % 2])),
    );

    // All at once: every change logged so far, folded by two compactors in small batches.
    const logged = await pendingChanges(store);
    expect(logged).toBe(800);
    const drain = async (s: Store) => {
      let folded = 0;
      for (;;) {
        const n = await compactRenderStats(s, 25);
        folded += n;
        if (n === 0) return folded;
      }
    };
    const [byA, byB] = await Promise.all([drain(a), drain(b)]);
    expect(byA + byB).toBe(logged);
    expect(await pendingChanges(store)).toBe(0);
    await expectExact(store, config, 'two compactors');

    // Again while renders change: skips and cancels log changes on the same statistics the compactors upsert.
    let writing = true;
    const writer = (async () => {
      for (const [i, id] of ids.entries()) {
        const r = await renderOf(ctx, id);
        if (i % 3 === 0) await cancel(ctx, r);
        else if (isIn(r, 'received')) await skip(ctx, r, i % 2 === 0 ? 'first_name is empty' : 'no email');
      }
      writing = false;
    })();
    const keepDraining = async (s: Store) => {
      let folded = 0;
      while (writing) folded += await compactRenderStats(s, 10);
      return folded + (await drain(s));
    };
    const [, foldedA, foldedB] = await Promise.all([writer, keepDraining(a), keepDraining(b)]);
    expect(foldedA + foldedB).toBeGreaterThanOrEqual(400 * 2);
    expect(await pendingChanges(store)).toBe(0);
    await expectExact(store, config, 'compacted beside writers');
  });
});

describe.each(await testDialects())('migration 014 on %s', (dialect) => {
  let database: TestDatabase | undefined;
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
    await database?.drop();
  });

  it('counts the renders a database had before it', async () => {
    database = await createTestDatabase(dialect);
    store = openStore(database.url);
    const { error } = await createMigrator(store.db as never, store.dialect).migrateTo('013-dashboard');
    expect(error).toBeUndefined();
    const seeds: SeedRender[] = [];
    const states: RenderState[] = ['completed', 'failed', 'skipped', 'received', 'rendering', 'cancelled', 'expanded', 'duplicate', 'awaiting_review'];
    for (let i = 0; i < 120; i += 1) {
      const state = states[i % states.length] as RenderState;
      const createdAt = NOW - (120 - i) * 9 * HOUR;
      seeds.push({
        campaign: ['bdr-intro', 'onboarding', 'gone'][i % 3] as string,
        state,
        createdAt,
        ...(state === 'completed' || state === 'rendering' || (state === 'failed' && i % 2 === 0) ? { submittedAt: createdAt + HOUR } : {}),
        ...(state === 'failed' ? { errorCode: i % 4 === 0 ? 'insufficient_credit' : 'render_failed', errorMessage: 'HeyGen said no' } : {}),
        ...(state === 'skipped' && i % 4 !== 0 ? { errorCode: 'invalid_data', errorMessage: i % 8 === 1 ? 'no email' : 'first_name is empty' } : {}),
      });
    }
    await seedRenders(store, seeds);
    expect((await migrate(store)).applied).toEqual(['014-render-stats', '015-drop-redundant-index']);
    expect(await pendingChanges(store)).toBe(0);
    const config = parseConfig(TEST_CONFIG, {}, 'test config');
    await expectExact(store, config, 'backfilled');
    // And the triggers run from then on.
    await seedRenders(store, [{ campaign: 'bdr-intro', state: 'failed', createdAt: NOW, errorCode: 'later' }]);
    expect(await pendingChanges(store)).toBe(4);
    await expectExact(store, config, 'after the backfill');
  });
});

describe.each(await testDialects())('the render list by created time on %s', (dialect) => {
  const fresh = useMigratedStore(dialect);

  it('lists every render of a range, newest first, page by page, whether it sorts the range or walks the ids', async () => {
    const { store } = fresh;
    // 60 days, 12 renders a day (some deals), created in id order but for a few late ones.
    const seeds: SeedRender[] = [];
    for (let i = 0; i < 720; i += 1) {
      seeds.push({ campaign: i % 2 === 0 ? 'bdr-intro' : 'renewal', state: i % 5 === 0 ? 'failed' : 'completed', objectType: i % 3 === 0 ? 'deals' : 'contacts', createdAt: NOW - (720 - i) * 2 * HOUR });
    }
    seeds.push({ campaign: 'bdr-intro', state: 'completed', createdAt: NOW - 50 * 24 * HOUR }, { campaign: 'renewal', state: 'skipped', createdAt: NOW - 3 * 24 * HOUR });
    await seedRenders(store, seeds);
    await foldRenderStats({ store });
    const all = (await store.db.selectFrom('renders').select(['id', 'campaign_id', 'object_type', 'created_at']).execute()).map((r) => ({ ...r, id: Number(r.id), created_at: Number(r.created_at) }));
    const day = (n: number) => startOfUtcDay(NOW) - n * DAY_MS;
    const ranges = [
      { createdFrom: day(50), createdBefore: day(49) }, // narrow and old: sorted
      { createdFrom: day(51), createdBefore: day(40), objectType: 'deals' },
      { createdBefore: day(55) },
      { createdFrom: day(3) }, // up to today: walked
      { createdFrom: day(30), campaignId: 'renewal' },
      { createdFrom: day(-1) }, // tomorrow: nothing
      { createdFrom: day(200), createdBefore: day(100) }, // before anything: nothing
    ];
    for (const range of ranges) {
      const want = all
        .filter((r) => (range.createdFrom === undefined || r.created_at >= range.createdFrom) && (range.createdBefore === undefined || r.created_at < range.createdBefore))
        .filter((r) => (range.objectType === undefined || r.object_type === range.objectType) && (range.campaignId === undefined || r.campaign_id === range.campaignId))
        .map((r) => r.id)
        .sort((a, b) => b - a);
      const seen: number[] = [];
      let beforeId: number | undefined;
      for (let pages = 0; pages < 50; pages += 1) {
        const page = await listRenderPage(store, { ...range, ...(beforeId === undefined ? {} : { beforeId }) }, 20);
        seen.push(...page.renders.map((r) => r.id));
        beforeId = page.nextBeforeId;
        if (beforeId === undefined) break;
      }
      expect(seen, JSON.stringify(range)).toEqual(want);
    }
  });
});
