/**
 * The operators' dashboard over real HTTP on SQLite and PostgreSQL: sign-in
 * and sessions, the overview's figures against the store's own counts, the
 * list's filters and paging, actions that change the render and say so on
 * its timeline, and every refused action changing nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { utcDay } from '../../src/core/render-budgets.js';
import { renderStates, liveStates, type RenderState } from '../../src/core/states.js';
import { budgetPauseScope } from '../../src/engine/credit-budgets.js';
import { countRendersByState } from '../../src/store/list-renders.js';
import { testDialects } from '../helpers/databases.js';
import { formPost, overviewFigures, seedRenders, signIn, type DashboardClient, type SeedRender } from '../helpers/dashboard.js';
import { startHarness, type Harness } from '../helpers/harness.js';

const HOUR = 3_600_000;

/** A clock the test moves forward (sessions expire, sign-in limits pass). */
function shiftingClock() {
  return {
    offset: 0,
    now() {
      return Date.now() + this.offset;
    },
  };
}

describe.each(await testDialects())('dashboard on %s', (dialect) => {
  let h: Harness;
  let base: string;
  let client: DashboardClient;
  const clock = shiftingClock();
  let failedIds: number[] = [];
  let liveIds: number[] = [];

  beforeAll(async () => {
    // `web`: pages and actions without workers, so seeded renders stay as seeded.
    h = await startHarness({
      dialect,
      role: 'web',
      clock,
      inbound: false,
      setup: false,
      tweak: (config) => {
        config.budgets = { daily: 2, campaigns: {} };
      },
    });
    base = h.service.url;
    const now = clock.now();
    const seeds: SeedRender[] = [];
    const states: RenderState[] = ['completed', 'completed', 'failed', 'skipped', 'received', 'rendering', 'cancelled'];
    for (let i = 0; i < 84; i += 1) {
      const state = states[i % states.length] as RenderState;
      seeds.push({
        campaign: i % 3 === 0 ? 'onboarding' : 'bdr-intro',
        objectType: i % 3 === 0 ? 'deals' : 'contacts',
        state,
        createdAt: now - (84 - i) * HOUR,
        ...(state === 'completed' ? { submittedAt: now - (84 - i) * HOUR } : {}),
        ...(state === 'failed' ? { errorCode: i % 2 === 0 ? 'insufficient_credit' : 'template_missing', errorMessage: 'HeyGen said no' } : {}),
        ...(state === 'skipped' ? { errorCode: 'invalid_data', errorMessage: 'first_name is empty' } : {}),
        title: `<script>alert(${i})</script> & "quoted"`,
      });
    }
    // A campaign no longer configured, with hostile text in its id.
    seeds.push({ campaign: '"><img src=x onerror=alert(1)>', state: 'failed', createdAt: now - HOUR, errorCode: 'x' });
    const ids = await seedRenders(h.service.store, seeds);
    failedIds = ids.filter((_, i) => seeds[i]?.state === 'failed' && seeds[i]?.campaign === 'bdr-intro');
    liveIds = ids.filter((_, i) => seeds[i]?.state === 'received');
    client = await signIn(base, h.secrets.adminToken);
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('sends a visitor without a session to sign in, and refuses a wrong token with 401 and no cookie', async () => {
    const page = await fetch(`${base}/dashboard`, { redirect: 'manual' });
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/dashboard/sign-in');
    const form = await fetch(`${base}/dashboard/sign-in`);
    expect(await form.text()).toContain('name="token"');
    const wrong = await formPost(`${base}/dashboard/sign-in`, { token: `${h.secrets.adminToken}x` });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.getSetCookie()).toEqual([]);
    expect(await wrong.text()).toContain('not the admin token');
  });

  it('signs in with an HttpOnly, SameSite=Strict session cookie on /dashboard, and serves pages under a strict CSP', async () => {
    const answer = await formPost(`${base}/dashboard/sign-in`, { token: h.secrets.adminToken });
    expect(answer.status).toBe(303);
    const cookie = answer.headers.getSetCookie()[0] ?? '';
    expect(cookie).toMatch(/^reelay_session=[A-Za-z0-9_-]{40,};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).toContain('Path=/dashboard');
    expect(cookie).not.toContain('Secure'); // plain http here
    const page = await client.get('/dashboard');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(page.headers.get('content-security-policy')).not.toContain('script-src');
    const text = await page.text();
    expect(text).not.toContain('<script');
    const css = await fetch(`${base}/dashboard/style.css`);
    expect(css.headers.get('content-type')).toContain('text/css');
  });

  it('shows per campaign the same figures as the store, escaping hostile ids', async () => {
    // Engagement on two completed bdr-intro renders; the first was written back to two records (counted once).
    const completed = await h.service.store.db.selectFrom('renders').select('id').where('campaign_id', '=', 'bdr-intro').where('state', '=', 'completed').orderBy('id').limit(2).execute();
    const [first, second] = completed.map((r) => Number(r.id));
    const row = (renderId: number, objectType: string, plays: number, ctaClicks: number) => ({
      render_id: renderId, portal_id: 'default', object_type: objectType, object_id: String(renderId), plays, max_percent: 50, last_played: clock.now(), cta_clicks: ctaClicks, updated_at: clock.now(),
    });
    await h.service.store.db
      .insertInto('engagement')
      .values([row(first as number, 'contacts', 3, 1), row(first as number, 'deals', 3, 1), row(second as number, 'contacts', 2, 0)])
      .execute();
    const text = await (await client.get('/dashboard')).text();
    const figures = overviewFigures(text);
    for (const campaign of ['bdr-intro', 'onboarding', 'renewal']) {
      const counts = await countRendersByState(h.service.store, { campaignId: campaign });
      const n = (s: RenderState) => counts[s] ?? 0;
      expect(figures[campaign]).toMatchObject({
        rendered: n('completed'),
        skipped: n('skipped'),
        failed: n('failed'),
        in_flight: liveStates.reduce((sum, s) => sum + n(s), 0),
        triggered: renderStates.filter((s) => s !== 'expanded').reduce((sum, s) => sum + n(s), 0),
        billed_today: expect.any(Number),
      });
    }
    expect(figures['bdr-intro']?.rendered).toBeGreaterThan(0);
    expect(figures['bdr-intro']).toMatchObject({ plays: 5, cta_clicks: 1 });
    expect(figures.onboarding).toMatchObject({ plays: 0, cta_clicks: 0 });
    // The hostile campaign id is shown as text, never as markup.
    expect(text).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(text).not.toContain('<img src=x');
    expect(figures['"><img src=x onerror=alert(1)>']?.failed).toBe(1);
    // The chart is an accessible SVG with its numbers in a table.
    expect(text).toMatch(/<svg[^>]*role="img"[^>]*aria-labelledby="chart-title chart-desc"/);
    expect(text).toContain('insufficient_credit');
  });

  it('lists renders by campaign, state, object type and time, page by page with no render twice', async () => {
    const all = (await h.service.store.db.selectFrom('renders').select(['id', 'campaign_id', 'state', 'object_type', 'created_at']).execute()).map((r) => ({
      ...r,
      id: Number(r.id),
      created_at: Number(r.created_at),
    }));
    const walk = async (first: string) => {
      const seen: number[] = [];
      let path: string | undefined = first;
      for (let pages = 0; path !== undefined && pages < 20; pages += 1) {
        const answer = await client.get(path);
        expect(answer.status).toBe(200);
        const text = await answer.text();
        seen.push(...[...text.matchAll(/data-render="(\d+)"/g)].map((m) => Number(m[1])));
        path = /rel="next" href="([^"]+)"/.exec(text)?.[1]?.replace(/&amp;/g, '&');
      }
      return seen;
    };
    const everything = await walk('/dashboard/renders');
    expect(everything).toEqual(all.map((r) => r.id).sort((a, b) => b - a));
    expect(new Set(everything).size).toBe(everything.length);
    expect(everything.length).toBeGreaterThan(50); // more than one page

    const failed = await walk('/dashboard/renders?campaign=bdr-intro&state=failed&object=contacts');
    expect(failed).toEqual(all.filter((r) => r.campaign_id === 'bdr-intro' && r.state === 'failed' && r.object_type === 'contacts').map((r) => r.id).sort((a, b) => b - a));

    const today = new Date(clock.now()).toISOString().slice(0, 10);
    const dayStart = Date.parse(`${today}T00:00:00Z`);
    const todays = await walk(`/dashboard/renders?from=${today}&to=${today}`);
    expect(todays).toEqual(all.filter((r) => r.created_at >= dayStart && r.created_at < dayStart + 24 * HOUR).map((r) => r.id).sort((a, b) => b - a));

    const bad = await client.get('/dashboard/renders?state=nonsense');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('state: must be one of');
    expect((await client.get('/dashboard/renders?from=2026-02-31')).status).toBe(400);
  });

  it('shows a render: its record, the variables sent, its timeline, all escaped', async () => {
    const id = failedIds[0] as number;
    const answer = await client.get(`/dashboard/renders/${id}`);
    expect(answer.status).toBe(200);
    const text = await answer.text();
    expect(text).toContain('data-record="contacts/');
    expect(text).toContain('first_name');
    expect(text).toContain('&lt;script&gt;alert(');
    expect(text).not.toContain('<script>alert(');
    expect(text).toContain(`href="/dashboard/renders/${id}/retry"`);
    expect((await client.get('/dashboard/renders/999999999')).status).toBe(404);
  });

  it('retries a failed render after a confirmation, and the timeline says an operator did it via the dashboard', async () => {
    const id = failedIds[0] as number;
    const confirm = await client.get(`/dashboard/renders/${id}/retry`);
    expect(confirm.status).toBe(200);
    const confirmText = await confirm.text();
    expect(confirmText).toContain(`action="/dashboard/renders/${id}/retry"`);
    expect(confirmText).toContain('name="_csrf"');
    const done = await client.post(`/dashboard/renders/${id}/retry`, { _csrf: await client.csrf() }, { origin: base, 'sec-fetch-site': 'same-origin' });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe(`/dashboard/renders/${id}?done=retry`);
    const row = await h.service.store.db.selectFrom('renders').select('state').where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.state).toBe('received');
    const timeline = await h.service.store.db.selectFrom('render_timeline').selectAll().where('render_id', '=', id).execute();
    expect(timeline.at(-1)).toMatchObject({ from_state: 'failed', to_state: 'received', note: 're-queued by an operator via the dashboard' });
    // A second retry is refused: the render is no longer failed.
    const again = await client.post(`/dashboard/renders/${id}/retry`, { _csrf: await client.csrf() });
    expect(again.status).toBe(409);
  });

  it('cancels a live render, noted as by an operator', async () => {
    const id = liveIds[0] as number;
    const done = await client.post(`/dashboard/renders/${id}/cancel`, { _csrf: await client.csrf() }, { origin: base });
    expect(done.status).toBe(303);
    const timeline = await h.service.store.db.selectFrom('render_timeline').selectAll().where('render_id', '=', id).execute();
    expect(timeline.at(-1)).toMatchObject({ to_state: 'cancelled', note: 'cancelled by an operator via the dashboard' });
  });

  it('retries every failed render of one campaign', async () => {
    const before = await countRendersByState(h.service.store, { campaignId: 'bdr-intro' });
    const others = await countRendersByState(h.service.store, { campaignId: 'onboarding' });
    expect((await client.get('/dashboard/campaigns/bdr-intro/retry-failed')).status).toBe(200);
    const done = await client.post('/dashboard/campaigns/bdr-intro/retry-failed', { _csrf: await client.csrf() });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe(`/dashboard?retried=${before.failed}`);
    expect((await countRendersByState(h.service.store, { campaignId: 'bdr-intro' })).failed).toBeUndefined();
    expect(await countRendersByState(h.service.store, { campaignId: 'onboarding' })).toEqual(others);
  });

  it('refuses an action without the CSRF token, with a wrong one, or from another origin, and changes nothing', async () => {
    const id = liveIds[1] as number;
    const csrf = await client.csrf();
    const attempts = [
      await client.post(`/dashboard/renders/${id}/cancel`, {}),
      await client.post(`/dashboard/renders/${id}/cancel`, { _csrf: `${csrf}x` }),
      await client.post(`/dashboard/renders/${id}/cancel`, { _csrf: csrf }, { origin: 'http://evil.example' }),
      await client.post(`/dashboard/renders/${id}/cancel`, { _csrf: csrf }, { 'sec-fetch-site': 'cross-site' }),
      await client.post(`/dashboard/renders/${id}/cancel`, { _csrf: csrf }, { origin: 'null' }),
      await formPost(`${base}/dashboard/renders/${id}/cancel`, { _csrf: csrf }),
    ];
    expect(attempts.map((a) => a.status)).toEqual([403, 403, 403, 403, 403, 401]);
    const row = await h.service.store.db.selectFrom('renders').select('state').where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.state).toBe('received');
    const timeline = await h.service.store.db.selectFrom('render_timeline').selectAll().where('render_id', '=', id).execute();
    expect(timeline).toEqual([]);
    // A sign-in from another site is refused too.
    expect((await formPost(`${base}/dashboard/sign-in`, { token: h.secrets.adminToken }, { origin: 'http://evil.example' })).status).toBe(403);
  });

  it('shows queue health and a dry run that spends nothing', async () => {
    const queues = await (await client.get('/dashboard/queues')).text();
    expect(queues).toContain('data-queue="hubspot"');
    expect(queues).toMatch(/data-metric="heygen_in_flight">\d+</);
    expect(queues).toMatch(/data-metric="hubspot_api_used">\d+</);
    // The credit budget: two renders billed today of two, and the pause a worker sets at the cap.
    expect(queues).toMatch(/data-budget="global">.*data-metric="budget_used">0</s);
    const now = clock.now();
    await h.service.store.db
      .insertInto('credit_slots')
      .values(failedIds.slice(0, 2).map((id) => ({ render_id: id, submission: 1, day: utcDay(now), campaign_id: 'bdr-intro', taken_at: now })))
      .execute();
    await h.service.ctx.pauses.pause(budgetPauseScope('global'), 'budget', 'the daily budget of 2 renders is used up', now, { silent: true });
    const capped = await (await client.get('/dashboard/queues')).text();
    expect(capped).toMatch(/data-budget="global">.*data-metric="budget_used">2<.*at the cap/s);
    expect(capped).toMatch(/data-queue="budget:global">.*data-paused="true">paused<.*budget: the daily budget of 2 renders is used up/s);
    const contact = h.sandbox.hubspot.crm.create('contacts', { firstname: 'Ada', company: 'Engines' }).id;
    const ledger = h.sandbox.heygen.ledger().length;
    const preview = await client.get(`/dashboard/preview?campaign=bdr-intro&objectId=${contact}`);
    expect(preview.status).toBe(200);
    const text = await preview.text();
    expect(text).toContain('data-outcome="render"');
    expect(text).toContain('Ada');
    const empty = h.sandbox.hubspot.crm.create('contacts', { company: 'Nameless' }).id;
    expect(await (await client.get(`/dashboard/preview?campaign=bdr-intro&objectId=${empty}`)).text()).toContain('data-outcome="skip"');
    expect(h.sandbox.heygen.ledger().length).toBe(ledger);
    expect((await client.get('/dashboard/preview?campaign=nope&objectId=1')).status).toBe(400);
  });

  it('ends a session at sign-out and at expiry: the old cookie signs no one in and acts on nothing', async () => {
    const other = await signIn(base, h.secrets.adminToken);
    const out = await other.post('/dashboard/sign-out', { _csrf: await other.csrf() });
    expect(out.status).toBe(303);
    expect(out.headers.getSetCookie()[0]).toMatch(/^reelay_session=;/);
    expect((await other.get('/dashboard')).status).toBe(303);

    const id = liveIds[2] as number;
    const csrf = await client.csrf();
    clock.offset += 13 * HOUR;
    const page = await client.get('/dashboard');
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/dashboard/sign-in');
    expect((await client.post(`/dashboard/renders/${id}/cancel`, { _csrf: csrf })).status).toBe(401);
    const row = await h.service.store.db.selectFrom('renders').select('state').where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.state).toBe('received');
  });

  it('limits sign-in attempts per address', async () => {
    clock.offset += HOUR;
    const answers: number[] = [];
    for (let i = 0; i < 6; i += 1) answers.push((await formPost(`${base}/dashboard/sign-in`, { token: 'wrong' })).status);
    expect(answers).toEqual([401, 401, 401, 401, 401, 429]);
    // Even the right token waits until the minute has passed.
    expect((await formPost(`${base}/dashboard/sign-in`, { token: h.secrets.adminToken })).status).toBe(429);
    clock.offset += 61_000;
    expect((await formPost(`${base}/dashboard/sign-in`, { token: h.secrets.adminToken })).status).toBe(303);
  });
});

describe('dashboard without REELAY_ADMIN_TOKEN', () => {
  it('is not served', async () => {
    const h = await startHarness({ role: 'web', inbound: false, setup: false, env: { REELAY_ADMIN_TOKEN: '' } });
    try {
      expect(h.env.adminToken).toBeUndefined();
      expect((await fetch(`${h.service.url}/dashboard`)).status).toBe(404);
      expect((await fetch(`${h.service.url}/dashboard/sign-in`)).status).toBe(404);
    } finally {
      await h.stop();
    }
  });
});
