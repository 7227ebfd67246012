import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { startHeyGenSandbox, type HeyGenSandbox, type HeyGenSandboxOptions } from '../../src/sandbox/heygen/server.js';

const API_KEY = 'test-key';
const DAY_MS = 24 * 60 * 60 * 1000;

interface Answer {
  status: number;
  headers: Headers;
  body: any;
}

let sandbox: HeyGenSandbox | undefined;

async function start(opts: Partial<HeyGenSandboxOptions> = {}): Promise<HeyGenSandbox> {
  sandbox = await startHeyGenSandbox({ apiKey: API_KEY, renderMs: { min: 20, max: 40 }, seed: 7, ...opts });
  return sandbox;
}

afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

async function call(sb: HeyGenSandbox, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(`${sb.url}${path}`, {
    method,
    headers: { 'x-api-key': API_KEY, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON (files, XML errors)
  }
  return { status: response.status, headers: response.headers, body: parsed };
}

const text = (name: string, content: string) => ({ name, type: 'text', properties: { content } });

function introBody(firstName = 'Ada', extra: Record<string, unknown> = {}) {
  return {
    title: `Intro for ${firstName}`,
    callback_id: `cb-${firstName}`,
    variables: {
      first_name: text('first_name', firstName),
      company_name: text('company_name', 'Analytical Engines'),
      conversion_event: text('conversion_event', 'demo request'),
    },
    ...extra,
  };
}

const createV3 = (sb: HeyGenSandbox, body: unknown = introBody(), headers: Record<string, string> = {}) =>
  call(sb, 'POST', '/v3/templates/tpl_bdr_intro', body, headers);

/** Polls the sandbox's own statistics (not a timing assertion: it waits for a state). */
async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('v3 render lifecycle and signed links', () => {
  it('creates a pending render that completes with a working, freshly signed link', async () => {
    const clock = new ManualClock();
    const sb = await start({ clock, renderMs: { min: 150, max: 150 } });

    const created = await createV3(sb);
    expect(created.status).toBe(200);
    const video = created.body.data;
    expect(video).toMatchObject({ status: 'pending', title: 'Intro for Ada', video_url: null });
    // HeyGen's v3 video object has no callback_id (heygen-cli gen/video.go); only webhooks echo it.
    expect(video).not.toHaveProperty('callback_id');
    expect(video.id).toMatch(/^[0-9a-f]{32}$/);

    await sb.drain();
    const first = await call(sb, 'GET', `/v3/videos/${video.id}`);
    expect(first.body.data).toMatchObject({ id: video.id, status: 'completed', failure_code: null });
    expect(first.body.data.video_url).toMatch(new RegExp(`/_sandbox/files/${video.id}\\.mp4\\?Expires=\\d+&Signature=`));
    expect(first.body.data.thumbnail_url).toContain('.jpg?Expires=');
    expect(first.body.data.duration).toBeGreaterThan(0);

    const file = await fetch(first.body.data.video_url);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('video/mp4');

    clock.advance(60_000);
    const second = await call(sb, 'GET', `/v3/videos/${video.id}`);
    expect(second.body.data.video_url).not.toBe(first.body.data.video_url);
    const expiresOf = (url: string) => Number(new URL(url).searchParams.get('Expires'));
    expect(expiresOf(second.body.data.video_url)).toBe(expiresOf(first.body.data.video_url) + 60);
  });

  it('can hide a link\'s expiry in a CloudFront-style Policy, which still expires and cannot be altered', async () => {
    const clock = new ManualClock();
    const sb = await start({ clock, urlTtlMs: 60_000, urlExpiry: 'policy' });
    const created = await createV3(sb);
    await sb.drain();
    const url: string = (await call(sb, 'GET', `/v3/videos/${created.body.data.id}`)).body.data.video_url;
    const params = new URL(url).searchParams;
    expect(params.get('Expires')).toBeNull();
    expect(params.get('Policy')).toMatch(/^[A-Za-z0-9_-]+$/);
    expect((await fetch(url)).status).toBe(200);

    const policy = JSON.parse(Buffer.from(params.get('Policy') as string, 'base64url').toString('utf8'));
    policy.Statement[0].Condition.DateLessThan['AWS:EpochTime'] += 3600;
    const extended = new URL(url);
    extended.searchParams.set('Policy', Buffer.from(JSON.stringify(policy)).toString('base64url'));
    expect((await fetch(extended)).status).toBe(403);

    clock.advance(60_000);
    expect((await fetch(url)).status).toBe(403);
  });

  it('answers 403 for an expired or tampered link', async () => {
    const clock = new ManualClock();
    const sb = await start({ clock, urlTtlMs: 60_000 });
    const created = await createV3(sb);
    await sb.drain();
    const url: string = (await call(sb, 'GET', `/v3/videos/${created.body.data.id}`)).body.data.video_url;

    const extended = new URL(url);
    extended.searchParams.set('Expires', String(Number(extended.searchParams.get('Expires')) + 3600));
    expect((await fetch(extended)).status).toBe(403);

    clock.advance(60_000);
    const expired = await fetch(url);
    expect(expired.status).toBe(403);
    expect(await expired.text()).toContain('Request has expired');
  });
});

describe('Idempotency-Key', () => {
  it('replays the original answer and bills once', async () => {
    const sb = await start();
    const first = await createV3(sb, introBody(), { 'idempotency-key': 'render:abc-1' });
    const replay = await createV3(sb, introBody(), { 'idempotency-key': 'render:abc-1' });

    expect(replay.status).toBe(200);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body).toEqual(first.body);
    expect(first.headers.get('idempotent-replayed')).toBeNull();

    await sb.drain();
    const ledger = sb.ledger();
    expect(ledger).toHaveLength(1);
    expect(ledger[0]).toMatchObject({ video_id: first.body.data.id, idempotency_key: 'render:abc-1', billed: true, status: 'completed' });
    expect(sb.stats()).toMatchObject({ createsAccepted: 1, createsReplayed: 1 });
  });

  it('answers 409 request_in_progress while the first request holds the key', async () => {
    const sb = await start({ faults: { createProcessingMs: 300 } });
    const headers = { 'idempotency-key': 'held-key' };
    const first = createV3(sb, introBody(), headers);
    await waitFor(() => sb.stats().createsInProgress === 1);

    const second = await createV3(sb, introBody(), headers);
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('request_in_progress');
    expect((await first).status).toBe(200);
    expect(sb.ledger()).toHaveLength(1);
  });

  it('forgets a key after 24 hours', async () => {
    const clock = new ManualClock();
    const sb = await start({ clock });
    const headers = { 'idempotency-key': 'daily' };
    const first = await createV3(sb, introBody(), headers);
    clock.advance(DAY_MS - 1);
    expect((await createV3(sb, introBody(), headers)).body.data.id).toBe(first.body.data.id);
    clock.advance(1);
    const later = await createV3(sb, introBody(), headers);
    expect(later.headers.get('idempotent-replayed')).toBeNull();
    expect(later.body.data.id).not.toBe(first.body.data.id);
    expect(sb.ledger()).toHaveLength(2);
  });

  it('scopes keys to the template and refuses malformed keys', async () => {
    const sb = await start();
    const a = await createV3(sb, introBody(), { 'idempotency-key': 'same' });
    const onboarding = await call(
      sb,
      'POST',
      '/v3/templates/tpl_onboarding',
      { variables: { first_name: text('first_name', 'Ada'), company_name: text('company_name', 'AE'), package_name: text('package_name', 'Pro') } },
      { 'idempotency-key': 'same' },
    );
    expect(onboarding.body.data.id).not.toBe(a.body.data.id);

    const bad = await createV3(sb, introBody(), { 'idempotency-key': 'has spaces' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_parameter');
    expect((await createV3(sb, introBody(), { 'idempotency-key': 'x'.repeat(256) })).status).toBe(400);
  });

  it('frees the key when a create is refused, so a retry can succeed', async () => {
    const sb = await start({ concurrency: 1, renderMs: { min: 200, max: 200 } });
    await createV3(sb, introBody('One'));
    const refused = await createV3(sb, introBody('Two'), { 'idempotency-key': 'retry-me' });
    expect(refused.status).toBe(429);
    await sb.drain();
    const retried = await createV3(sb, introBody('Two'), { 'idempotency-key': 'retry-me' });
    expect(retried.status).toBe(200);
    expect(retried.headers.get('idempotent-replayed')).toBeNull();
  });
});

describe('concurrency', () => {
  it('answers 429 rate_limit_exceeded with Retry-After beyond the limit', async () => {
    const sb = await start({ concurrency: 2, renderMs: { min: 1500, max: 1500 } });
    expect((await createV3(sb, introBody('A'))).status).toBe(200);
    expect((await createV3(sb, introBody('B'))).status).toBe(200);
    const third = await createV3(sb, introBody('C'));
    expect(third.status).toBe(429);
    expect(third.body.error.code).toBe('rate_limit_exceeded');
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(sb.stats()).toMatchObject({ rateLimited: 1, createsAccepted: 2, inFlight: 2 });
    expect(sb.ledger()).toHaveLength(2);
  });

  it('queues beyond the limit in queue mode and never exceeds it', async () => {
    const sb = await start({ concurrency: 2, overflow: 'queue', renderMs: { min: 200, max: 200 } });
    const ids: string[] = [];
    for (const name of ['A', 'B', 'C', 'D', 'E']) ids.push((await createV3(sb, introBody(name))).body.data.id);

    const waiting = await call(sb, 'GET', `/v1/video_status.get?video_id=${ids[4]}`);
    expect(waiting.body.data.status).toBe('waiting');
    const asV3 = await call(sb, 'GET', `/v3/videos/${ids[4]}`);
    expect(asV3.body.data.status).toBe('pending');

    await sb.drain();
    const stats = sb.stats();
    expect(stats.maxConcurrentObserved).toBe(2);
    expect(stats.rendersCompleted).toBe(5);
    expect(stats.rateLimited).toBe(0);
  });

  it('applies new limits at once', async () => {
    const sb = await start({ concurrency: 1, overflow: 'queue', renderMs: { min: 400, max: 400 } });
    for (const name of ['A', 'B', 'C']) await createV3(sb, introBody(name));
    expect(sb.stats()).toMatchObject({ inFlight: 1, waiting: 2 });
    sb.control.setLimits({ concurrency: 3 });
    expect(sb.stats()).toMatchObject({ inFlight: 3, waiting: 0 });
    await sb.drain();
  });
});

describe('v2 and v1', () => {
  it('generates from a template on v2 and reads the status on v1', async () => {
    const sb = await start();
    const created = await call(sb, 'POST', '/v2/template/tpl_bdr_intro/generate', introBody('Grace'));
    expect(created.status).toBe(200);
    expect(created.body.error).toBeNull();
    const videoId: string = created.body.data.video_id;

    await sb.drain();
    const status = await call(sb, 'GET', `/v1/video_status.get?video_id=${videoId}`);
    expect(status.body.code).toBe(100);
    expect(status.body.data).toMatchObject({ id: videoId, status: 'completed', error: null, callback_id: 'cb-Grace' });
    expect((await fetch(status.body.data.video_url)).status).toBe(200);
    expect(sb.ledger()[0]).toMatchObject({ video_id: videoId, api: 'v2', idempotency_key: null });
  });

  it('does not bill or list test renders', async () => {
    const sb = await start({ credits: 0 });
    const created = await call(sb, 'POST', '/v2/template/tpl_bdr_intro/generate', introBody('Test', { test: true }));
    expect(created.status).toBe(200);
    await sb.drain();
    expect(sb.ledger()).toHaveLength(0);
    expect((await call(sb, 'GET', `/v1/video_status.get?video_id=${created.body.data.video_id}`)).body.data.status).toBe('completed');
  });

  it('uses the v2 and v1 error shapes', async () => {
    const sb = await start();
    const v2 = await call(sb, 'POST', '/v2/template/tpl_missing/generate', introBody());
    expect(v2.status).toBe(404);
    expect(v2.body).toEqual({ error: { code: 'template_not_found', message: expect.any(String) }, data: null });
    const v1 = await call(sb, 'GET', '/v1/video_status.get?video_id=nope');
    expect(v1.status).toBe(404);
    expect(v1.body).toMatchObject({ code: 404, data: null, error: { code: 'video_not_found' } });
    const seedGuide = await call(sb, 'POST', '/v2/video/generate', { template_id: 'tpl_bdr_intro', ...introBody() });
    expect(seedGuide.status).toBe(400);
  });
});

describe('share pages', () => {
  it('keeps a share page private unless the render asked for enable_sharing or POST /v1/video/share made it public', async () => {
    const sb = await start();
    const shared = (await createV3(sb, introBody('Pub', { enable_sharing: true }))).body.data.id;
    const kept = (await createV3(sb, introBody('Priv'))).body.data.id;
    await sb.drain();
    const pageOf = async (id: string): Promise<string> => (await call(sb, 'GET', `/v3/videos/${id}`)).body.data.video_page_url;
    expect((await fetch(await pageOf(shared))).status).toBe(200);
    const privatePage = await fetch(await pageOf(kept));
    expect(privatePage.status).toBe(403);

    // The legacy status read has no share URL; the share endpoint makes one public and answers it.
    expect((await call(sb, 'GET', `/v1/video_status.get?video_id=${kept}`)).body.data).not.toHaveProperty('video_share_page_url');
    const made = await call(sb, 'POST', '/v1/video/share', { video_id: kept });
    expect(made.status).toBe(200);
    expect(made.body.data.share_url).toBe(await pageOf(kept));
    expect((await fetch(made.body.data.share_url)).status).toBe(200);

    expect((await call(sb, 'POST', '/v1/video/share', { video_id: 'nope' })).status).toBe(404);
    expect((await call(sb, 'POST', '/v1/video/share', {})).status).toBe(400);
  });
});

describe('templates and variables', () => {
  it('shows template details on v3 and v2', async () => {
    const sb = await start();
    const v3 = await call(sb, 'GET', '/v3/templates/tpl_renewal');
    expect(v3.body.data).toMatchObject({ id: 'tpl_renewal', template_id: 'tpl_renewal' });
    expect(Object.keys(v3.body.data.variables)).toEqual(['first_name', 'company_name', 'renewal_date', 'usage_hours']);
    // As HeyGen's OpenAPI promises: the variables map holds current values; the types are in scenes[].variables[].variable_type.
    expect(v3.body.data.variables.first_name).toEqual({ name: 'first_name', properties: { content: '{{first_name}}' } });
    expect(v3.body.data.scene_ids).toEqual(v3.body.data.scenes.map((s: { scene_id: string }) => s.scene_id));
    const typed = v3.body.data.scenes.flatMap((s: { variables: Array<{ name: string; variable_type: string }> }) => s.variables);
    expect(new Set(typed.map((v: { name: string }) => v.name))).toEqual(new Set(['first_name', 'company_name', 'renewal_date', 'usage_hours']));
    expect(typed.every((v: { variable_type: string }) => v.variable_type === 'text')).toBe(true);

    const v2 = await call(sb, 'GET', '/v2/template/tpl_onboarding');
    expect(v2.body).toMatchObject({ error: null, data: { template_id: 'tpl_onboarding' } });
    expect(Object.keys(v2.body.data.variables)).toEqual(['first_name', 'company_name', 'package_name']);

    const list = await call(sb, 'GET', '/v3/templates');
    expect(list.body.data.map((t: { id: string }) => t.id)).toEqual(['tpl_bdr_intro', 'tpl_bdr_intro_de', 'tpl_bdr_intro_es', 'tpl_onboarding', 'tpl_renewal']);
    expect((await call(sb, 'GET', '/v3/templates/tpl_nope')).body.error.code).toBe('template_not_found');
    sb.control.putTemplate({ id: 'tpl_logo', name: 'Logo', variables: { first_name: { type: 'text' }, logo: { type: 'image' } } });
    const media = (await call(sb, 'GET', '/v3/templates/tpl_logo')).body.data;
    expect(media.scenes.flatMap((s: { variables: unknown[] }) => s.variables)).toEqual(
      expect.arrayContaining([{ name: 'logo', variable_type: 'image' }, { name: 'first_name', variable_type: 'text' }]),
    );
  });

  it('refuses unknown, mistyped, missing and overlong variables, naming them', async () => {
    const sb = await start({ maxTextLength: 50 });
    sb.control.putTemplate({ id: 'tpl_media', name: 'Media', variables: { first_name: { type: 'text' }, logo: { type: 'image' } } });

    const cases: Array<[unknown, string]> = [
      [introBody('Ada', { variables: { ...introBody().variables, nickname: text('nickname', 'A') } }), 'nickname'],
      [introBody('Ada', { variables: { ...introBody().variables, first_name: { name: 'first_name', type: 'image', properties: { url: 'x' } } } }), 'first_name'],
      [{ variables: { first_name: text('first_name', 'Ada') } }, 'company_name'],
      [introBody('A'.repeat(51)), 'first_name'],
    ];
    for (const [body, name] of cases) {
      const answer = await createV3(sb, body);
      expect(answer.status).toBe(400);
      expect(answer.body.error.code).toBe('invalid_parameter');
      expect(answer.body.error.message).toContain(name);
    }

    const wrongMedia = await call(sb, 'POST', '/v3/templates/tpl_media', { variables: { first_name: text('first_name', 'A'), logo: text('logo', 'x') } });
    expect(wrongMedia.body.error.message).toContain('logo');
    const mediaOmitted = await call(sb, 'POST', '/v3/templates/tpl_media', { variables: { first_name: text('first_name', 'A') } });
    expect(mediaOmitted.status).toBe(200);
    expect(sb.ledger()).toHaveLength(1);
  });

  it('renders a literal placeholder for a missing text variable when told to behave like HeyGen', async () => {
    const sb = await start({ missingTextVariables: 'placeholder' });
    const answer = await createV3(sb, { variables: { first_name: text('first_name', 'Ada') } });
    expect(answer.status).toBe(200);
    expect(sb.ledger()[0]?.unfilled_variables).toEqual(['company_name', 'conversion_event']);
  });
});

describe('status endpoints', () => {
  it('answers the statuses batch with not_found and no links, and refuses more than 100 ids', async () => {
    const sb = await start({ renderMs: { min: 800, max: 800 } });
    const id: string = (await createV3(sb)).body.data.id;
    const batch = await call(sb, 'GET', `/v3/videos/statuses?video_ids=${id},missing`);
    expect(batch.body).toEqual({
      data: [
        { video_id: id, status: 'queued', error: null },
        { video_id: 'missing', status: 'not_found', error: null },
      ],
      has_more: false,
      next_token: null,
    });
    await sb.drain();
    expect((await call(sb, 'GET', `/v3/videos/statuses?video_ids=${id}`)).body.data[0].status).toBe('completed');

    const many = Array.from({ length: 101 }, (_, i) => `v${i}`).join(',');
    expect((await call(sb, 'GET', `/v3/videos/statuses?video_ids=${many}`)).status).toBe(400);
    expect((await call(sb, 'GET', '/v3/videos/statuses')).status).toBe(400);
    // The endpoint takes video_ids and batch_ids only, and pages nothing.
    const paged = await call(sb, 'GET', `/v3/videos/statuses?video_ids=${id}&token=abc`);
    expect(paged.status).toBe(400);
    expect(paged.body.error).toMatchObject({ code: 'invalid_parameter' });
    expect(paged.body.error.message).toContain('token');
    expect((await call(sb, 'GET', '/v3/videos/statuses?batch_ids=b_unknown')).body.data).toEqual([
      { video_id: null, batch_id: 'b_unknown', status: 'not_found', error: null },
    ]);
  });

  it('lists videos newest first with their titles and no callback_id, paged', async () => {
    const sb = await start();
    for (const name of ['A', 'B', 'C']) await createV3(sb, introBody(name));
    const page1 = await call(sb, 'GET', '/v3/videos?limit=2');
    expect(page1.body.data.map((v: { title: string }) => v.title)).toEqual(['Intro for C', 'Intro for B']);
    expect(page1.body.has_more).toBe(true);
    const page2 = await call(sb, 'GET', `/v3/videos?limit=2&token=${page1.body.next_token}`);
    expect(page2.body.data.map((v: { title: string }) => v.title)).toEqual(['Intro for A']);
    expect(page2.body.data[0]).not.toHaveProperty('callback_id');
    expect(page2.body).toMatchObject({ has_more: false, next_token: null });

    const legacy = await call(sb, 'GET', '/v1/video.list');
    expect(legacy.body.data.videos.map((v: { video_title: string }) => v.video_title)).toEqual(['Intro for C', 'Intro for B', 'Intro for A']);
    for (const item of legacy.body.data.videos) expect(item).not.toHaveProperty('callback_id');
    expect((await call(sb, 'GET', '/v3/videos?token=garbage')).status).toBe(400);
    await sb.drain();
  });
});

describe('failures', () => {
  it('fails renders with the configured codes and does not bill them', async () => {
    const sb = await start({ failRate: 1, failCodes: ['40119'] });
    const id: string = (await createV3(sb)).body.data.id;
    await sb.drain();
    const status = await call(sb, 'GET', `/v3/videos/${id}`);
    expect(status.body.data).toMatchObject({ status: 'failed', failure_code: '40119', failure_message: 'Video is too long', video_url: null });
    expect(sb.ledger()[0]).toMatchObject({ status: 'failed', billed: false });
    const v1 = await call(sb, 'GET', `/v1/video_status.get?video_id=${id}`);
    expect(v1.body.data.error).toMatchObject({ code: '40119', message: 'Video is too long' });
  });

  it('accepts a render and then fails it at status time for insufficient credit', async () => {
    const sb = await start({ insufficientCreditRate: 1 });
    const created = await createV3(sb);
    expect(created.status).toBe(200);
    await sb.drain();
    const status = await call(sb, 'GET', `/v3/videos/${created.body.data.id}`);
    expect(status.body.data).toMatchObject({ status: 'failed', failure_code: 'MOVIO_PAYMENT_INSUFFICIENT_CREDIT' });
  });

  it('answers 402 insufficient_credit once the credit is spent, and refunds failed renders', async () => {
    const sb = await start({ credits: 1 });
    expect((await createV3(sb, introBody('A'))).status).toBe(200);
    const refused = await createV3(sb, introBody('B'));
    expect(refused.status).toBe(402);
    expect(refused.body.error.code).toBe('insufficient_credit');

    await sb.drain();
    sb.control.setFaults({ failRate: 1 });
    sb.control.setLimits({ credits: 1 });
    await createV3(sb, introBody('C'));
    await sb.drain();
    expect(sb.control.limits().credits).toBe(1);
  });

  it('leaves a stuck render processing forever, without a callback, and drain does not wait for it', async () => {
    const sb = await start({ faults: { stuckRate: 1 } });
    const id: string = (await createV3(sb)).body.data.id;
    await waitFor(() => sb.stats().inFlight === 0);
    await sb.drain();
    expect((await call(sb, 'GET', `/v3/videos/${id}`)).body.data.status).toBe('processing');
    expect(sb.stats()).toMatchObject({ rendersCompleted: 0, rendersFailed: 0 });
  });

  it('makes a render whose answer is lost: the client sees a dropped connection, a replay returns it', async () => {
    const sb = await start({ faults: { timeoutAfterAcceptRate: 1, timeoutAfterAcceptHoldMs: 50 } });
    const headers = { 'idempotency-key': 'lost-answer' };
    await expect(createV3(sb, introBody(), headers)).rejects.toThrow();

    expect(sb.ledger()).toHaveLength(1);
    const billed = sb.ledger()[0];
    expect(sb.stats().timeoutsAfterAccept).toBe(1);

    const replay = await createV3(sb, introBody(), headers);
    expect(replay.status).toBe(200);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body.data.id).toBe(billed?.video_id);
    expect(sb.ledger()).toHaveLength(1);
    await sb.drain();
  });
});

describe('faults and auth', () => {
  it('refuses a missing or wrong API key', async () => {
    const sb = await start();
    const wrong = await call(sb, 'GET', '/v3/templates', undefined, { 'x-api-key': 'nope' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('unauthorized');
  });

  it('injects 5xx, resets and spurious 429s on API routes only', async () => {
    const sb = await start();
    sb.control.setFaults({ errorRate: 1 });
    const failed = await createV3(sb);
    expect([500, 502, 503]).toContain(failed.status);
    expect(failed.body.error.code).toBe('internal_error');
    expect(sb.ledger()).toHaveLength(0);
    expect((await call(sb, 'GET', '/_sandbox/stats')).status).toBe(200);

    sb.control.setFaults({ errorRate: 0, rateLimitStormRate: 1 });
    const storm = await call(sb, 'GET', '/v3/templates');
    expect(storm.status).toBe(429);
    expect(Number(storm.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);

    sb.control.setFaults({ rateLimitStormRate: 0, resetRate: 1 });
    await expect(call(sb, 'GET', '/v3/templates')).rejects.toThrow();
    expect(sb.stats()).toMatchObject({ errorsInjected: 1, spuriousRateLimited: 1, resetsInjected: 1 });

    sb.control.clearFaults();
    expect((await call(sb, 'GET', '/v3/templates')).status).toBe(200);
  });

  it('draws the same faults for the same seed', async () => {
    const outcomes = async (): Promise<number[]> => {
      const sb = await start({ seed: 99, faults: { errorRate: 0.5 } });
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) statuses.push((await call(sb, 'GET', '/v3/templates')).status);
      await sb.close();
      sandbox = undefined;
      return statuses;
    };
    const first = await outcomes();
    expect(first).toContain(200);
    expect(first.some((s) => s >= 500)).toBe(true);
    expect(await outcomes()).toEqual(first);
  });

  it('is controlled over HTTP: faults, limits, ledger, stats, reset', async () => {
    const sb = await start();
    const set = await call(sb, 'POST', '/_sandbox/faults', { latencyMs: 5, callbackDelayMs: { min: 1, max: 3 } });
    expect(set.body).toMatchObject({ latencyMs: { min: 5, max: 5 }, callbackDelayMs: { min: 1, max: 3 } });
    const typo = await call(sb, 'POST', '/_sandbox/faults', { errorRat: 1 });
    expect(typo.status).toBe(400);
    expect((await call(sb, 'POST', '/_sandbox/faults', { errorRate: 2 })).status).toBe(400);

    expect((await call(sb, 'POST', '/_sandbox/limits', { concurrency: 5, overflow: 'queue' })).body).toEqual({
      concurrency: 5,
      overflow: 'queue',
      credits: null,
    });

    await createV3(sb);
    await sb.drain();
    const ledger = await call(sb, 'GET', '/_sandbox/ledger');
    expect(ledger.body).toMatchObject({ billed: 1, entries: [{ api: 'v3', template_id: 'tpl_bdr_intro', callback_id: 'cb-Ada' }] });
    expect(ledger.body.entries[0].variables).toEqual({ first_name: 'Ada', company_name: 'Analytical Engines', conversion_event: 'demo request' });

    await call(sb, 'POST', '/_sandbox/reset');
    expect(sb.ledger()).toHaveLength(0);
    expect(sb.control.limits()).toEqual({ concurrency: 3, overflow: '429', credits: null });
    expect(sb.control.faults().latencyMs).toEqual({ min: 0, max: 0 });
    expect((await call(sb, 'GET', '/_sandbox/stats')).body.requests).toBe(0);
  });
});
