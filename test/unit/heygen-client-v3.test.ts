import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { ConfigError, ProviderError } from '../../src/core/errors.js';
import { createHeyGenClient } from '../../src/heygen/client.js';
import type { CreateFromTemplateRequest, HeyGenClient } from '../../src/heygen/client.js';
import { startStubServer } from '../helpers/stub-server.js';
import type { StubServer } from '../helpers/stub-server.js';

const API_KEY = 'hg_live_key_0123456789abcdef';
const NOW = Date.UTC(2026, 2, 10, 12, 0, 0);
const CALLBACK_ID = 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6';

let stub: StubServer;
let heygen: HeyGenClient;

function client(timeoutMs = 2000): HeyGenClient {
  return createHeyGenClient({ api: 'v3', baseUrl: stub.url, apiKey: API_KEY, timeoutMs, clock: new ManualClock(NOW) });
}

async function failure(pending: Promise<unknown>): Promise<ProviderError> {
  const err = await pending.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProviderError);
  expect((err as ProviderError).describe()).not.toContain(API_KEY);
  return err as ProviderError;
}

const render: CreateFromTemplateRequest = {
  templateId: 'tpl_3948572394',
  title: 'Intro for Ada at Acme',
  variables: { first_name: { name: 'first_name', type: 'text', properties: { content: 'Ada' } } },
  callbackId: CALLBACK_ID,
  idempotencyKey: CALLBACK_ID,
  caption: true,
};
const RENDER_PATH = '/v3/templates/tpl_3948572394';

beforeEach(async () => {
  stub = await startStubServer();
  heygen = client();
});

afterEach(async () => {
  await stub.close();
});

describe('v3 create', () => {
  it('sends the Idempotency-Key, the API key and the render body', async () => {
    stub.enqueue('POST', RENDER_PATH, { body: { data: { id: 'vid_1', status: 'pending' } } });

    const created = await heygen.createFromTemplate(render);

    expect(created).toEqual({ videoId: 'vid_1', replayed: false });
    const [req] = stub.requests;
    expect(req?.headers['idempotency-key']).toBe(CALLBACK_ID);
    expect(req?.headers['x-api-key']).toBe(API_KEY);
    expect(req?.body).toEqual({
      title: 'Intro for Ada at Acme [rk:a1b2c3d4e5f6]',
      variables: render.variables,
      callback_id: CALLBACK_ID,
      caption: true,
    });
  });

  it('recognises a replayed answer', async () => {
    stub.enqueue('POST', RENDER_PATH, { body: { data: { id: 'vid_1', status: 'processing' } }, headers: { 'idempotent-replayed': 'true' } });
    expect(await heygen.createFromTemplate(render)).toEqual({ videoId: 'vid_1', replayed: true });
  });

  it('reports request_in_progress as retryable and possibly applied', async () => {
    stub.enqueue('POST', RENDER_PATH, {
      status: 409,
      body: { error: { code: 'request_in_progress', message: 'A request with this key is in progress' } },
    });
    const err = await failure(heygen.createFromTemplate(render));
    expect(err).toMatchObject({ status: 409, code: 'request_in_progress', failureClass: 'retryable', maybeApplied: true });
  });

  it('refuses a test render, which v3 does not have, before calling HeyGen', async () => {
    await expect(heygen.createFromTemplate({ ...render, test: true })).rejects.toBeInstanceOf(ConfigError);
    expect(stub.requests).toHaveLength(0);
  });

  it('treats a 2xx without a video id as an unreadable, possibly applied answer', async () => {
    stub.enqueue('POST', RENDER_PATH, { body: { data: { status: 'pending' } } });
    const err = await failure(heygen.createFromTemplate(render));
    expect(err).toMatchObject({ code: 'invalid_response', failureClass: 'retryable', maybeApplied: true });
  });
});

describe('v3 errors', () => {
  const cases = [
    { status: 401, code: 'unauthorized', failureClass: 'blocking' },
    { status: 403, code: 'forbidden', failureClass: 'blocking' },
    { status: 402, code: 'insufficient_credit', failureClass: 'blocking' },
    { status: 400, code: 'invalid_parameter', failureClass: 'permanent' },
    { status: 404, code: 'template_not_found', failureClass: 'permanent' },
    { status: 500, code: 'internal_error', failureClass: 'retryable' },
    { status: 503, code: 'service_unavailable', failureClass: 'retryable' },
  ] as const;

  for (const c of cases) {
    it(`classifies a create answered ${c.status} ${c.code} as ${c.failureClass}`, async () => {
      stub.enqueue('POST', RENDER_PATH, { status: c.status, body: { error: { code: c.code, message: `key ${API_KEY} said no` } } });

      const err = await failure(heygen.createFromTemplate(render));

      expect(err).toMatchObject({ provider: 'heygen', operation: 'templates.render', status: c.status, code: c.code, failureClass: c.failureClass });
      expect(err.message).toBe('key [redacted] said no');
      expect(err.maybeApplied).toBe(c.status >= 500);
    });
  }

  it('reads Retry-After on a 429', async () => {
    stub.enqueue(
      'POST',
      RENDER_PATH,
      { status: 429, body: { error: { code: 'rate_limit_exceeded', message: 'too many' } }, headers: { 'retry-after': '5' } },
      { status: 429, body: { error: { code: 'rate_limit_exceeded', message: 'too many' } }, headers: { 'retry-after': new Date(NOW + 12_000).toUTCString() } },
    );
    expect(await failure(heygen.createFromTemplate(render))).toMatchObject({ failureClass: 'retryable', retryAfterMs: 5000, maybeApplied: false });
    expect((await failure(heygen.createFromTemplate(render))).retryAfterMs).toBe(12_000);
  });

  it('times out a create as retryable and possibly applied', async () => {
    heygen = client(150);
    stub.enqueue('POST', RENDER_PATH, { hang: true });
    expect(await failure(heygen.createFromTemplate(render))).toMatchObject({ code: 'timeout', failureClass: 'retryable', maybeApplied: true });
  });

  it('treats a reset during a create as possibly applied', async () => {
    stub.enqueue('POST', RENDER_PATH, { reset: true });
    expect(await failure(heygen.createFromTemplate(render))).toMatchObject({ code: 'network', failureClass: 'retryable', maybeApplied: true });
  });
});

describe('v3 videos', () => {
  it('normalises a completed video and reads the signed URL expiry', async () => {
    const expires = Math.floor(NOW / 1000) + 7 * 86_400;
    stub.enqueue('GET', '/v3/videos/vid_1', {
      body: {
        data: {
          id: 'vid_1',
          status: 'completed',
          video_url: `https://files.heygen.ai/v/vid_1.mp4?Expires=${expires}&Signature=abc&Key-Pair-Id=K1`,
          video_page_url: 'https://app.heygen.com/share/vid_1',
          thumbnail_url: 'https://files.heygen.ai/t/vid_1.jpg',
          duration: 42.5,
        },
      },
    });

    const video = await heygen.getVideo('vid_1');

    expect(video).toMatchObject({
      id: 'vid_1',
      status: 'completed',
      rawStatus: 'completed',
      shareUrl: 'https://app.heygen.com/share/vid_1',
      urlExpiresAt: expires * 1000,
    });
  });

  it('reports a render that ran out of credit as a failed video', async () => {
    stub.enqueue('GET', '/v3/videos/vid_2', {
      body: { data: { id: 'vid_2', status: 'failed', failure_code: 'MOVIO_PAYMENT_INSUFFICIENT_CREDIT', failure_message: 'Insufficient credit' } },
    });
    expect(await heygen.getVideo('vid_2')).toMatchObject({ status: 'failed', failureCode: 'MOVIO_PAYMENT_INSUFFICIENT_CREDIT', failureMessage: 'Insufficient credit' });
  });

  it('answers not_found for an unknown video', async () => {
    stub.enqueue('GET', '/v3/videos/nope', { status: 404, body: { error: { code: 'not_found', message: 'no such video' } } });
    expect(await heygen.getVideo('nope')).toEqual({ id: 'nope', status: 'not_found', rawStatus: 'not_found' });
  });

  it('asks for statuses 100 at a time with video_ids only (the endpoint takes no token)', async () => {
    const ids = Array.from({ length: 150 }, (_, i) => `v${i}`);
    stub.fallback('GET', '/v3/videos/statuses', (req) => {
      const asked = (req.query.get('video_ids') ?? '').split(',');
      return {
        body: {
          data: [
            ...asked.map((id) => (id === 'v7' ? { video_id: id, status: 'failed', error: { code: 'invalid_parameter', message: 'bad' } } : { video_id: id, status: 'waiting', error: null })),
            // An item expanded from a batch whose video does not exist yet has no video_id.
            { video_id: null, status: 'queued', batch_id: 'b1', item_index: 3, error: null },
          ],
          has_more: true,
          next_token: 'ignored',
        },
      };
    });

    const statuses = await heygen.getStatuses(ids);

    const calls = stub.requestsTo('GET', '/v3/videos/statuses');
    expect(calls.map((c) => [c.query.get('video_ids')?.split(',').length, [...c.query.keys()]])).toEqual([
      [100, ['video_ids']],
      [50, ['video_ids']],
    ]);
    expect(statuses.size).toBe(150);
    expect(statuses.get('v0')).toEqual({ status: 'queued', failureCode: undefined, failureMessage: undefined });
    expect(statuses.get('v7')).toEqual({ status: 'failed', failureCode: 'invalid_parameter', failureMessage: 'bad' });
  });
});

describe('v3 templates and webhooks', () => {
  it('reads template variables, null when the template does not exist', async () => {
    stub.enqueue('GET', '/v3/templates/tpl_1', {
      body: { data: { id: 'tpl_1', name: 'Intro', variables: { first_name: { name: 'first_name', type: 'text', properties: { content: 'there' } } } } },
    });
    stub.enqueue('GET', '/v3/templates/tpl_gone', { status: 404, body: { error: { code: 'not_found', message: 'template not found' } } });

    expect(await heygen.getTemplate('tpl_1')).toEqual({ id: 'tpl_1', variables: { first_name: { type: 'text' } } });
    expect(await heygen.getTemplate('tpl_gone')).toBeNull();
  });

  it('reads variable types from scenes[].variables[].variable_type, where HeyGen\'s OpenAPI puts them', async () => {
    stub.enqueue('GET', '/v3/templates/tpl_2', {
      body: {
        data: {
          id: 'tpl_2',
          name: 'Intro',
          scene_ids: ['s1', 's2'],
          scenes: [
            { scene_id: 's1', script: 'Hi {{first_name}}', variables: [{ name: 'first_name', variable_type: 'text' }, { name: 'logo', variable_type: 'image' }] },
            { scene_id: 's2', script: null, variables: [{ name: 'logo', variable_type: 'image' }, { name: 'voice', variable_type: 'voice' }] },
          ],
          // The values map promises no type: one carrying a wrong one does not win over the scenes.
          variables: { first_name: { name: 'first_name', properties: { content: 'there' } }, logo: { name: 'logo', type: 'text', properties: { url: 'https://x/logo.png' } }, voice: { name: 'voice' }, outro: { name: 'outro' } },
        },
      },
    });
    expect(await heygen.getTemplate('tpl_2')).toEqual({
      id: 'tpl_2',
      variables: { first_name: { type: 'text' }, logo: { type: 'image' }, voice: { type: 'voice' }, outro: { type: 'text' } },
    });
  });

  it('lists endpoints across pages and creates one with its secret', async () => {
    stub.enqueue(
      'GET',
      '/v3/webhooks/endpoints',
      { body: { data: [{ endpoint_id: 'ep1', url: 'https://a/webhooks/heygen', events: ['avatar_video.success'], status: 'enabled', created_at: '2026-01-01T00:00:00Z' }], has_more: true, next_token: 't2' } },
      { body: { data: [{ endpoint_id: 'ep2', url: 'https://b/hook', events: null, status: 'enabled', created_at: '2026-01-01T00:00:00Z' }], has_more: false, next_token: null } },
    );
    stub.enqueue('POST', '/v3/webhooks/endpoints', {
      body: { data: { endpoint_id: 'ep3', url: 'https://c/webhooks/heygen', events: ['avatar_video.success'], secret: 'whsec_abc', status: 'enabled', created_at: '2026-01-01T00:00:00Z' } },
    });

    expect(await heygen.listWebhookEndpoints()).toEqual([
      { id: 'ep1', url: 'https://a/webhooks/heygen', events: ['avatar_video.success'] },
      { id: 'ep2', url: 'https://b/hook', events: [] },
    ]);
    expect(await heygen.createWebhookEndpoint('https://c/webhooks/heygen', ['avatar_video.success', 'avatar_video.fail'])).toEqual({
      id: 'ep3',
      url: 'https://c/webhooks/heygen',
      secret: 'whsec_abc',
    });
    expect(stub.requestsTo('POST', '/v3/webhooks/endpoints')[0]?.body).toEqual({
      url: 'https://c/webhooks/heygen',
      events: ['avatar_video.success', 'avatar_video.fail'],
    });
  });
});

describe('v3 findVideoByCallbackId', () => {
  const iso = (ms: number) => new Date(ms).toISOString();
  const since = NOW - 3_600_000;

  it('finds a finished render in the webhook history', async () => {
    stub.enqueue('GET', '/v3/webhooks/events', {
      body: {
        data: [
          { event_id: 'e2', event_type: 'avatar_video.success', event_data: { video_id: 'other', callback_id: 'zzz' }, created_at: iso(NOW - 60_000) },
          { event_id: 'e1', event_type: 'avatar_video.success', event_data: { video_id: 'vid_9', callback_id: CALLBACK_ID }, created_at: iso(NOW - 120_000) },
        ],
        has_more: false,
      },
    });

    expect(await heygen.findVideoByCallbackId(CALLBACK_ID, { since })).toBe('vid_9');
    expect(stub.requestsTo('GET', '/v3/videos')).toHaveLength(0);
  });

  it('finds a render still in progress by the title marker in the video list', async () => {
    stub.enqueue('GET', '/v3/webhooks/events', { body: { data: [], has_more: false, next_token: null } });
    stub.enqueue(
      'GET',
      '/v3/videos',
      { body: { data: [{ id: 'v_new', status: 'processing', title: 'Someone else', created_at: NOW / 1000 }], has_more: true, next_token: 'n2' } },
      { body: { data: [{ id: 'v_mine', status: 'pending', title: 'Intro for Ada [rk:a1b2c3d4e5f6]', created_at: NOW / 1000 - 30 }], has_more: false } },
    );

    expect(await heygen.findVideoByCallbackId(CALLBACK_ID, { since })).toBe('v_mine');
    expect(stub.requestsTo('GET', '/v3/videos').map((r) => r.query.get('token'))).toEqual([null, 'n2']);
  });

  it('answers null once both listings reach back past the window', async () => {
    stub.enqueue('GET', '/v3/webhooks/events', {
      body: { data: [{ event_id: 'e', event_type: 'avatar_video.success', event_data: { video_id: 'x', callback_id: 'y' }, created_at: iso(since - 3_600_000) }], has_more: true, next_token: 'more' },
    });
    stub.enqueue('GET', '/v3/videos', {
      body: { data: [{ id: 'old', status: 'completed', title: 'old', created_at: (since - 3_600_000) / 1000 }], has_more: true, next_token: 'more' },
    });

    expect(await heygen.findVideoByCallbackId(CALLBACK_ID, { since })).toBeNull();
    expect(stub.requests).toHaveLength(2);
  });

  it('refuses to call a render absent when the window cannot be read to its start', async () => {
    let page = 0;
    stub.fallback('GET', '/v3/webhooks/events', () => {
      page += 1;
      return { body: { data: [{ event_id: `e${page}`, event_type: 'avatar_video.success', event_data: { video_id: 'x', callback_id: 'y' }, created_at: iso(NOW) }], has_more: true, next_token: `t${page}` } };
    });

    const err = await failure(heygen.findVideoByCallbackId(CALLBACK_ID, { since }));

    expect(err).toMatchObject({ code: 'lookup_incomplete', failureClass: 'permanent' });
  });
});
