/**
 * Engagement from the video page back to HubSpot (SPEC "Video page and
 * engagement"), through real HTTP on SQLite and PostgreSQL: the player's
 * events to `POST /v/:token/events`, Reelay's totals, and the coalesced
 * `engagement` write on the record (at most one per `links.flushEvery`),
 * with the values checked in the sandbox CRM and the writes counted by the
 * sandbox. The service's clock is moved past `flushEvery` instead of waiting.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { testDialects } from '../helpers/databases.js';
import { startHarness, type Harness } from '../helpers/harness.js';

const FLUSH_MS = 60_000;

interface Stack {
  h: Harness;
  contact: string;
  /** The link tokens of the contact's finished videos. */
  tokens: string[];
  /** Moves the service's clock on. */
  advance(ms: number): void;
  post(token: string, body: unknown, opts?: { type?: string; raw?: string; headers?: Record<string, string> }): Promise<Response>;
  writes(): number;
  props(): Record<string, string | null | undefined>;
  engagementRows(): Promise<unknown[]>;
  engagementEffects(): Promise<unknown[]>;
}

/** A contact with one finished video per campaign named (all on the contact). */
async function stack(dialect: 'sqlite' | 'postgres', campaigns: string[], logLevel?: string): Promise<Stack> {
  const h = await startHarness({ dialect, ...(logLevel ? { logLevel } : {}) });
  let skew = 0;
  h.service.ctx.clock = { now: () => Date.now() + skew };
  const crm = h.sandbox.hubspot.crm;
  const contact = crm.create('contacts', { firstname: 'Eve', company: 'Engage Ltd', contract_end_date: '2027-01-31' }).id;
  for (const campaign of campaigns) expect((await h.postHubSpot({ hs_object_id: Number(contact) }, { query: `?campaign=${campaign}` })).status).toBe(200);
  const db = h.service.store.db;
  const tokens = await h.waitFor(async () => {
    const rows = await db.selectFrom('renders').select(['link_token', 'state']).where('object_id', '=', contact).orderBy('id').execute();
    return rows.length === campaigns.length && rows.every((r) => r.state === 'completed' && r.link_token) ? rows.map((r) => r.link_token as string) : undefined;
  }, 30_000, 'the videos');
  await h.settled();
  return {
    h,
    contact,
    tokens,
    advance: (ms) => {
      skew += ms;
    },
    post: (token, body, opts = {}) =>
      fetch(`${h.env.publicUrl}/v/${token}/events`, {
        method: 'POST',
        headers: { 'content-type': opts.type ?? 'application/json', ...opts.headers },
        body: opts.raw ?? JSON.stringify(body),
      }),
    writes: () => h.sandbox.hubspot.stats().writes.byObject[`contacts/${contact}`] ?? 0,
    props: () => crm.get('contacts', contact)?.properties ?? {},
    engagementRows: () => db.selectFrom('engagement').selectAll().orderBy('render_id').execute(),
    engagementEffects: () => db.selectFrom('outbox').selectAll().where('kind', '=', 'engagement').execute(),
  };
}

/** Posts events, `parallel` at once; every one must be answered 204 with no cookie. */
async function postAll(s: Stack, events: Array<[string, unknown]>, parallel = 10): Promise<void> {
  for (let i = 0; i < events.length; i += parallel) {
    const answers = await Promise.all(events.slice(i, i + parallel).map(([token, body], j) => s.post(token, body, { type: (i + j) % 2 ? 'text/plain;charset=UTF-8' : 'application/json' })));
    for (const answer of answers) {
      expect(answer.status).toBe(204);
      expect(answer.headers.get('set-cookie')).toBeNull();
    }
  }
}

describe.each(await testDialects())('engagement on %s', (dialect) => {
  let s: Stack | undefined;
  afterEach(async () => {
    await s?.h.stop();
    s = undefined;
  });

  it('100 events on two videos of one contact are one CRM write, after flushEvery, with the combined totals', { timeout: 90_000 }, async () => {
    s = await stack(dialect, ['bdr-intro', 'renewal']);
    const [a, b] = s.tokens as [string, string];
    const before = s.writes();
    const t0 = s.h.service.ctx.clock.now();

    // Video A: 20 plays, watched to 75 %, 5 CTA clicks, 25 progress events (50 events).
    // Video B: 10 plays, watched to the end, 1 CTA click, 39 progress events (50 events).
    const events: Array<[string, unknown]> = [
      ...Array.from({ length: 20 }, (): [string, unknown] => [a, { type: 'play', percent: 0 }]),
      ...Array.from({ length: 25 }, (_, i): [string, unknown] => [a, { type: 'progress', percent: [25, 50, 75][i % 3] }]),
      ...Array.from({ length: 5 }, (): [string, unknown] => [a, { type: 'cta' }]),
      ...Array.from({ length: 10 }, (): [string, unknown] => [b, { type: 'play' }]),
      ...Array.from({ length: 38 }, (): [string, unknown] => [b, { type: 'progress', percent: 25 }]),
      [b, { type: 'complete' }],
      [b, { type: 'cta', percent: 100 }],
    ];
    expect(events).toHaveLength(100);
    await postAll(s, events);

    // Counted in Reelay, one write waiting for the record; nothing written yet.
    const rows = (await s.engagementRows()) as Array<Record<string, number>>;
    expect(rows.map((r) => [r.plays, r.max_percent, r.cta_clicks])).toEqual([
      [20, 75, 5],
      [10, 100, 1],
    ]);
    expect(await s.engagementEffects()).toHaveLength(1);
    expect(s.writes()).toBe(before);

    s.advance(FLUSH_MS + 1_000);
    const stack_ = s;
    await s.h.waitFor(async () => stack_.props().heygen_video_plays === '30', 20_000, 'the engagement write');
    await s.h.settled();
    const props = s.props();
    expect(props).toMatchObject({ heygen_video_plays: '30', heygen_video_watch_percent: '100', heygen_video_cta_clicks: '6' });
    const lastPlayed = Date.parse(props.heygen_video_last_played ?? '');
    expect(lastPlayed).toBeGreaterThanOrEqual(t0);
    expect(lastPlayed).toBeLessThanOrEqual(s.h.service.ctx.clock.now());
    expect(s.writes()).toBe(before + 1);

    const metrics = await (await fetch(`${s.h.env.publicUrl}/metrics`)).text();
    expect(metrics).toContain('reelay_engagement_events_total{type="play"} 30');
    expect(metrics).toContain('reelay_engagement_events_total{type="cta"} 6');
    expect(metrics).toContain('reelay_engagement_events_total{type="complete"} 1');
  });

  it('a write whose answer was lost is retried with the same totals: nothing is counted twice', { timeout: 90_000 }, async () => {
    s = await stack(dialect, ['bdr-intro']);
    const [token] = s.tokens as [string];
    const before = s.writes();
    await postAll(s, [
      [token, { type: 'play' }],
      [token, { type: 'play' }],
      [token, { type: 'play' }],
      [token, { type: 'progress', percent: 50 }],
      [token, { type: 'cta' }],
    ]);
    const sandbox = s.h.sandbox.hubspot;
    sandbox.control.setFaults({ resetAfterWriteRate: 1, operations: ['objects.patch', 'objects.batchUpdate'] });
    s.advance(FLUSH_MS + 1_000);
    await s.h.waitFor(async () => sandbox.stats().faults.resetsAfterWrite >= 1, 20_000, 'a write applied and its answer lost');
    sandbox.control.clearFaults();
    await s.h.settled();

    expect(s.writes()).toBeGreaterThanOrEqual(before + 2);
    expect(s.props()).toMatchObject({ heygen_video_plays: '3', heygen_video_watch_percent: '50', heygen_video_cta_clicks: '1' });
  });

  it('an event arriving while the write is in flight goes out flushEvery after it, not at once', { timeout: 90_000 }, async () => {
    s = await stack(dialect, ['bdr-intro']);
    const st = s;
    const [token] = s.tokens as [string];
    const sandbox = s.h.sandbox.hubspot;
    const patches = () => sandbox.stats().calls['objects.patch'] ?? 0;
    const before = s.writes();
    await postAll(s, [[token, { type: 'play' }]]);
    sandbox.control.setFaults({ latencyMs: 1_500, operations: ['objects.patch'] });
    const patchesBefore = patches();
    s.advance(FLUSH_MS + 1_000);
    await s.h.waitFor(async () => patches() > patchesBefore, 20_000, 'the write to be in flight');
    await postAll(s, [[token, { type: 'play' }]]);
    await s.h.waitFor(async () => st.writes() === before + 1, 20_000, 'the first write');
    sandbox.control.clearFaults();
    expect(s.props().heygen_video_plays).toBe('1');

    // The second play waits for the next flush: due a full flushEvery after the write (once Reelay has its answer).
    type Pending = { run_at: number; leased_by: string | null };
    const pending = await s.h.waitFor(async () => ((await st.engagementEffects()) as Pending[]).find((r) => r.leased_by === null), 20_000, 'the write to be settled');
    expect(pending?.run_at).toBeGreaterThan(s.h.service.ctx.clock.now() + FLUSH_MS / 2);
    expect(s.writes()).toBe(before + 1);

    s.advance(FLUSH_MS + 1_000);
    await s.h.waitFor(async () => st.props().heygen_video_plays === '2', 20_000, 'the second write');
    await s.h.settled();
    expect(s.writes()).toBe(before + 2);
  });

  it('refused events (400, 404, 413, 415, 429) store nothing; a GET of the page counts nothing; no /v/ answer sets a cookie', { timeout: 90_000 }, async () => {
    s = await stack(dialect, ['bdr-intro']);
    const [token] = s.tokens as [string];
    const base = s.h.env.publicUrl as string;
    const answers: Response[] = [];
    const keep = async (r: Promise<Response>) => {
      const answer = await r;
      answers.push(answer);
      await answer.arrayBuffer();
      return answer;
    };

    // Page views and link checks by mail scanners: any Accept, HEAD, ?raw=1.
    for (const accept of ['text/html,application/xhtml+xml', '*/*', 'image/gif', '']) {
      expect([200, 302]).toContain((await keep(fetch(`${base}/v/${token}`, { redirect: 'manual', headers: accept ? { accept } : {} }))).status);
    }
    expect((await keep(fetch(`${base}/v/${token}`, { method: 'HEAD', redirect: 'manual' }))).status).toBeLessThan(400);
    expect((await keep(fetch(`${base}/v/${token}?raw=1`, { redirect: 'manual' }))).status).toBe(302);
    expect(await s.engagementRows()).toEqual([]);
    expect(await s.engagementEffects()).toEqual([]);

    const unknown = 'A'.repeat(32);
    expect((await keep(s.post(token, { type: 'pause' }))).status).toBe(400);
    expect((await keep(s.post(token, { type: 'progress', percent: 101 }))).status).toBe(400);
    expect((await keep(s.post(token, null, { raw: '{"type":' }))).status).toBe(400);
    expect((await keep(s.post(token, null, { raw: '' , type: 'text/plain' }))).status).toBe(400);
    expect((await keep(s.post(token, { type: 'play', pad: 'x'.repeat(2_000) }))).status).toBe(413);
    expect((await keep(s.post(token, { type: 'play' }, { type: 'application/x-www-form-urlencoded' }))).status).toBe(415);
    expect((await keep(s.post(unknown, { type: 'play' }))).status).toBe(404);
    expect((await keep(s.post('short', { type: 'play' }))).status).toBe(404);
    expect(await s.engagementRows()).toEqual([]);
    expect(await s.engagementEffects()).toEqual([]);

    // 60 a minute per token: the 61st is refused with Retry-After and changes nothing.
    for (let i = 0; i < 60; i++) expect((await keep(s.post(token, { type: 'cta' }))).status).toBe(204);
    const limited = await keep(s.post(token, { type: 'play' }));
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const rows = (await s.engagementRows()) as Array<Record<string, number>>;
    expect(rows.map((r) => [r.plays, r.cta_clicks])).toEqual([[0, 60]]);

    for (const answer of answers) expect(answer.headers.get('set-cookie'), `${answer.url} ${answer.status}`).toBeNull();
    const metrics = await (await fetch(`${base}/metrics`)).text();
    for (const [reason, n] of [['invalid', 4], ['too_large', 1], ['unsupported_type', 1], ['unknown_token', 2], ['rate_limited', 1]] as const) {
      expect(metrics).toContain(`reelay_engagement_events_refused_total{reason="${reason}"} ${n}`);
    }
  });

  it('serves the player script with a long cache lifetime; logs of /v/ requests carry no client address', { timeout: 90_000 }, async () => {
    s = await stack(dialect, ['bdr-intro'], 'debug');
    const [token] = s.tokens as [string];
    const base = s.h.env.publicUrl as string;
    const script = await fetch(`${base}/assets/reelay-player.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(script.headers.get('cache-control')).toMatch(/max-age=\d{6,}/);
    expect(await script.text()).toContain('data-events-url');
    const etag = script.headers.get('etag') as string;
    expect((await fetch(`${base}/assets/reelay-player.js`, { headers: { 'if-none-match': etag } })).status).toBe(304);

    const forwarded = { 'x-forwarded-for': '203.0.113.77', 'x-real-ip': '198.51.100.9' };
    const logFrom = s.h.logs().length;
    await fetch(`${base}/v/${token}`, { redirect: 'manual', headers: { accept: 'text/html', ...forwarded } });
    expect((await s.post(token, { type: 'play' }, { headers: forwarded })).status).toBe(204);
    expect((await s.post(token, { type: 'nope' }, { headers: forwarded })).status).toBe(400);
    expect((await s.post('B'.repeat(32), { type: 'play' }, { headers: forwarded })).status).toBe(404);
    const logs = s.h.logs().slice(logFrom);
    for (const address of ['203.0.113.77', '198.51.100.9', '127.0.0.1', 'remoteAddress', 'remoteAddr', token]) expect(logs).not.toContain(address);
    const db = JSON.stringify(await s.engagementRows()) + JSON.stringify(await s.engagementEffects());
    for (const address of ['203.0.113.77', '198.51.100.9', '127.0.0.1']) expect(db).not.toContain(address);
  });
});
