import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { ProviderError } from '../../src/core/errors.js';
import { createHeyGenClient } from '../../src/heygen/client.js';
import type { CreateFromTemplateRequest, HeyGenClient } from '../../src/heygen/client.js';
import { startStubServer } from '../helpers/stub-server.js';
import type { StubServer } from '../helpers/stub-server.js';

const API_KEY = 'hg_legacy_key_fedcba9876543210';
const NOW = Date.UTC(2026, 2, 10, 12, 0, 0);
const CALLBACK_ID = 'ffee00112233445566778899aabbccdd';

let stub: StubServer;
let heygen: HeyGenClient;

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
  templateId: 'tpl_1',
  title: 'Onboarding for Ada',
  variables: { first_name: { name: 'first_name', type: 'text', properties: { content: 'Ada' } } },
  callbackId: CALLBACK_ID,
  idempotencyKey: CALLBACK_ID,
  test: true,
};
const RENDER_PATH = '/v2/template/tpl_1/generate';

beforeEach(async () => {
  stub = await startStubServer();
  heygen = createHeyGenClient({ api: 'v2', baseUrl: stub.url, apiKey: API_KEY, timeoutMs: 2000, clock: new ManualClock(NOW) });
});

afterEach(async () => {
  await stub.close();
});

describe('v2 create', () => {
  it('posts to the template generate path without an Idempotency-Key, passing test through', async () => {
    stub.enqueue('POST', RENDER_PATH, { body: { error: null, data: { video_id: 'v2_1' } } });

    expect(heygen.api).toBe('v2');
    expect(await heygen.createFromTemplate(render)).toEqual({ videoId: 'v2_1', replayed: false });
    const [req] = stub.requests;
    expect(req?.headers['idempotency-key']).toBeUndefined();
    expect(req?.headers['x-api-key']).toBe(API_KEY);
    expect(req?.body).toEqual({
      title: 'Onboarding for Ada [rk:ffee00112233]',
      variables: render.variables,
      callback_id: CALLBACK_ID,
      test: true,
    });
  });

  it('surfaces insufficient credit as blocking', async () => {
    stub.enqueue('POST', RENDER_PATH, { status: 402, body: { error: { code: 'MOVIO_PAYMENT_INSUFFICIENT_CREDIT', message: 'Insufficient credit' }, data: null } });
    expect(await failure(heygen.createFromTemplate(render))).toMatchObject({
      status: 402,
      code: 'MOVIO_PAYMENT_INSUFFICIENT_CREDIT',
      failureClass: 'blocking',
      maybeApplied: false,
    });
  });

  it('treats a 200 that carries only an error as a refusal', async () => {
    stub.enqueue('POST', RENDER_PATH, { body: { error: { code: 'invalid_parameter', message: `variable first_name missing (key ${API_KEY})` }, data: null } });
    const err = await failure(heygen.createFromTemplate(render));
    expect(err).toMatchObject({ status: 200, code: 'invalid_parameter', failureClass: 'permanent', maybeApplied: false });
    expect(err.message).toBe('variable first_name missing (key [redacted])');
  });

  it('reads legacy numeric codes', async () => {
    stub.enqueue('POST', RENDER_PATH, { status: 400, body: { code: 40119, message: 'video is too long' } });
    expect(await failure(heygen.createFromTemplate(render))).toMatchObject({ code: '40119', message: 'video is too long', failureClass: 'permanent' });
  });
});

describe('v2 status', () => {
  it('reads one video through video_status.get and normalises it', async () => {
    stub.enqueue(
      'GET',
      '/v1/video_status.get',
      { body: { code: 100, data: { id: 'a', status: 'waiting', video_url: null, error: null }, message: 'Success' } },
      {
        body: {
          code: 100,
          data: { id: 'b', status: 'failed', error: { code: 'MOVIO_PAYMENT_INSUFFICIENT_CREDIT', message: 'Insufficient credit', detail: 'top up' } },
          message: 'Success',
        },
      },
      { status: 404, body: { code: 404, message: 'video not found' } },
    );

    const statuses = await heygen.getStatuses(['a', 'b', 'c']);

    expect(stub.requestsTo('GET', '/v1/video_status.get').map((r) => r.query.get('video_id'))).toEqual(['a', 'b', 'c']);
    expect(statuses.get('a')).toEqual({ status: 'queued', failureCode: undefined, failureMessage: undefined });
    expect(statuses.get('b')).toEqual({ status: 'failed', failureCode: 'MOVIO_PAYMENT_INSUFFICIENT_CREDIT', failureMessage: 'Insufficient credit' });
    expect(statuses.get('c')).toEqual({ status: 'not_found', failureCode: undefined, failureMessage: undefined });
  });

  it('returns a completed video with its links', async () => {
    stub.enqueue('GET', '/v1/video_status.get', {
      body: {
        code: 100,
        data: {
          id: 'a',
          status: 'completed',
          video_url: 'https://files.heygen.ai/a.mp4?X-Amz-Date=20260310T120000Z&X-Amz-Expires=604800&X-Amz-Signature=s',
          thumbnail_url: 'https://files.heygen.ai/a.jpg',
          error: null,
        },
      },
    });
    expect(await heygen.getVideo('a')).toMatchObject({
      status: 'completed',
      thumbnailUrl: 'https://files.heygen.ai/a.jpg',
      urlExpiresAt: NOW + 604_800_000,
    });
  });

  it('reads template variables from /v2/template', async () => {
    stub.enqueue('GET', '/v2/template/tpl_1', { body: { error: null, data: { template_id: 'tpl_1', variables: { company_name: { name: 'company_name', type: 'text', properties: { content: '' } } } } } });
    stub.enqueue('GET', '/v2/template/tpl_x', { status: 404, body: { error: { code: 'template_not_found', message: 'no' }, data: null } });
    expect(await heygen.getTemplate('tpl_1')).toEqual({ id: 'tpl_1', variables: { company_name: { type: 'text' } } });
    expect(await heygen.getTemplate('tpl_x')).toBeNull();
  });
});

describe('v2 share pages', () => {
  it('gets the share page from POST /v1/video/share, in either documented answer shape', async () => {
    stub.enqueue('POST', '/v1/video/share', { body: { code: 100, data: { share_url: 'https://app.heygen.com/share/a' }, msg: null } });
    stub.enqueue('POST', '/v1/video/share', { body: { code: 100, data: 'https://app.heygen.com/share/b', msg: null } });
    stub.enqueue('POST', '/v1/video/share', { body: { code: 100, data: null, msg: 'no' } });
    expect(await heygen.sharePage?.('a')).toBe('https://app.heygen.com/share/a');
    expect(await heygen.sharePage?.('b')).toBe('https://app.heygen.com/share/b');
    expect(await heygen.sharePage?.('c')).toBeNull();
    expect(stub.requestsTo('POST', '/v1/video/share').map((r) => r.body)).toEqual([{ video_id: 'a' }, { video_id: 'b' }, { video_id: 'c' }]);
  });
});

describe('v2 recovery and webhooks', () => {
  const since = NOW - 600_000;

  it('falls back to the video list when there is no v3 history, matching the title marker', async () => {
    stub.enqueue('GET', '/v3/webhooks/events', { status: 404, body: { error: { code: 'not_found', message: 'no' } } });
    stub.enqueue('GET', '/v1/video.list', {
      body: {
        code: 100,
        data: {
          videos: [
            { video_id: 'x1', status: 'processing', video_title: 'Other [rk:000000000000]', created_at: NOW / 1000 },
            { video_id: 'x2', status: 'waiting', video_title: 'Onboarding for Ada [rk:ffee00112233]', created_at: NOW / 1000 - 20 },
          ],
          token: 'next',
        },
      },
    });

    expect(await heygen.findVideoByCallbackId(CALLBACK_ID, { since })).toBe('x2');
  });

  it('matches list items by the exact title marker of this submission, never by a first submission\'s marker', async () => {
    const key = `rk_${'12'.repeat(32)}`;
    stub.enqueue('GET', '/v3/webhooks/events', { body: { data: [], has_more: false } });
    stub.enqueue('GET', '/v1/video.list', {
      body: {
        code: 100,
        data: {
          videos: [
            // The first submission's failed video: same render key, no `:2`.
            { video_id: 'first', status: 'failed', video_title: 'Intro for Ada [rk:rk_121212121]', created_at: NOW / 1000 - 10 },
            { video_id: 'old', status: 'completed', video_title: 'old', created_at: (since - 86_400_000) / 1000 },
          ],
          token: 'more',
        },
      },
    });

    expect(await heygen.findVideoByCallbackId(`${key}:2`, { since })).toBeNull();
  });

  it('confirms a video with HeyGen: its callback_id as video_status.get reports it', async () => {
    stub.enqueue('GET', '/v1/video_status.get', {
      body: { code: 100, data: { id: 'mine', status: 'processing', callback_id: CALLBACK_ID, video_url: null } },
    });
    expect(await heygen.getVideo('mine')).toMatchObject({ id: 'mine', callbackId: CALLBACK_ID });
  });

  it('answers null when the list reaches past the window without a match', async () => {
    stub.enqueue('GET', '/v3/webhooks/events', { body: { data: [], has_more: false } });
    stub.enqueue(
      'GET',
      '/v1/video.list',
      { body: { code: 100, data: { videos: [{ video_id: 'n', video_title: 'new', created_at: NOW / 1000 }], token: 't2' } } },
      { body: { code: 100, data: { videos: [{ video_id: 'o', video_title: 'old', created_at: (since - 86_400_000) / 1000 }], token: 't3' } } },
    );

    expect(await heygen.findVideoByCallbackId(CALLBACK_ID, { since })).toBeNull();
    expect(stub.requestsTo('GET', '/v1/video.list').map((r) => r.query.get('token'))).toEqual([null, 't2']);
  });

  it('lists and adds webhook endpoints through the v1 paths', async () => {
    stub.enqueue('GET', '/v1/webhook/endpoint.list', { body: { code: 100, data: [{ endpoint_id: 'e1', url: 'https://a/hook', events: ['avatar_video.success'], status: 'enabled' }] } });
    stub.enqueue('POST', '/v1/webhook/endpoint.add', { body: { code: 100, data: { endpoint_id: 'e2', url: 'https://b/hook', events: ['avatar_video.fail'], secret: 'sec_1' } } });

    expect(await heygen.listWebhookEndpoints()).toEqual([{ id: 'e1', url: 'https://a/hook', events: ['avatar_video.success'] }]);
    expect(await heygen.createWebhookEndpoint('https://b/hook', ['avatar_video.fail'])).toEqual({ id: 'e2', url: 'https://b/hook', secret: 'sec_1' });
    expect(stub.requestsTo('POST', '/v1/webhook/endpoint.add')[0]?.body).toEqual({ url: 'https://b/hook', events: ['avatar_video.fail'] });
  });
});
