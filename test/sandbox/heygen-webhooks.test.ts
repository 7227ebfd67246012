import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  startHeyGenSandbox,
  type HeyGenSandbox,
  type HeyGenSandboxOptions,
  type HeyGenSandboxStats,
} from '../../src/sandbox/heygen/server.js';

const API_KEY = 'test-key';
const SECRET = `whsec_${Buffer.from('a sandbox secret, 32 bytes long!').toString('base64')}`;

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  raw: string;
  body: any;
}

/** A webhook target on 127.0.0.1 that records deliveries; `answer` picks each POST's status. */
class Receiver {
  readonly received: Received[] = [];
  answer: (delivery: Received, index: number) => number = () => 200;
  optionsStatus = 200;
  private server: Server | undefined;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (req.method === 'OPTIONS') {
          res.writeHead(this.optionsStatus).end();
          return;
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        const delivery: Received = { path: req.url ?? '', headers: req.headers, raw, body: JSON.parse(raw) };
        this.received.push(delivery);
        res.writeHead(this.answer(delivery, this.received.length - 1)).end();
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  at(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of cleanup.splice(0).reverse()) await close();
});

async function receiver(): Promise<Receiver> {
  const r = await new Receiver().start();
  cleanup.push(() => r.close());
  return r;
}

async function start(opts: Partial<HeyGenSandboxOptions> = {}): Promise<HeyGenSandbox> {
  const sb = await startHeyGenSandbox({ apiKey: API_KEY, renderMs: { min: 10, max: 30 }, seed: 3, callbackRetryDelaysMs: [20, 40], ...opts });
  cleanup.push(() => sb.close());
  return sb;
}

async function call(sb: HeyGenSandbox, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${sb.url}${path}`, {
    method,
    headers: { 'x-api-key': API_KEY, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

const text = (name: string, content: string) => ({ name, type: 'text', properties: { content } });

async function render(sb: HeyGenSandbox, name: string, extra: Record<string, unknown> = {}): Promise<string> {
  const answer = await call(sb, 'POST', '/v3/templates/tpl_bdr_intro', {
    title: `Intro for ${name}`,
    callback_id: `cb-${name}`,
    variables: {
      first_name: text('first_name', name),
      company_name: text('company_name', 'Initech'),
      conversion_event: text('conversion_event', 'webinar'),
    },
    ...extra,
  });
  expect(answer.status).toBe(200);
  return answer.body.data.id;
}

describe('webhook endpoint registration', () => {
  it('v3: returns a whsec_ secret once, refuses the same URL twice, rotates and deletes', async () => {
    const sb = await start();
    const target = 'http://127.0.0.1:9/hooks/heygen';
    const created = await call(sb, 'POST', '/v3/webhooks/endpoints', { url: target, events: ['avatar_video.success', 'avatar_video.fail'] });
    expect(created.status).toBe(200);
    const endpoint = created.body.data;
    expect(endpoint).toMatchObject({ url: target, status: 'enabled', events: ['avatar_video.success', 'avatar_video.fail'] });
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);

    const listed = await call(sb, 'GET', '/v3/webhooks/endpoints');
    expect(listed.body.data).toEqual([expect.objectContaining({ endpoint_id: endpoint.endpoint_id, url: target })]);
    expect(listed.body.data[0].secret).toBeUndefined();

    const again = await call(sb, 'POST', '/v3/webhooks/endpoints', { url: target });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('endpoint_already_exists');

    expect((await call(sb, 'POST', '/v3/webhooks/endpoints', { url: 'http://x.test/', events: ['video.completed'] })).status).toBe(400);

    const rotated = await call(sb, 'POST', `/v3/webhooks/endpoints/${endpoint.endpoint_id}/rotate-secret`);
    expect(rotated.body.data.secret).toMatch(/^whsec_/);
    expect(rotated.body.data.secret).not.toBe(endpoint.secret);

    expect((await call(sb, 'DELETE', `/v3/webhooks/endpoints/${endpoint.endpoint_id}`)).status).toBe(200);
    expect((await call(sb, 'GET', '/v3/webhooks/endpoints')).body.data).toEqual([]);
    expect((await call(sb, 'DELETE', `/v3/webhooks/endpoints/${endpoint.endpoint_id}`)).status).toBe(404);
  });

  it('v1: probes the URL with OPTIONS and refuses it unless it answers 200', async () => {
    const sb = await start();
    const good = await receiver();
    const added = await call(sb, 'POST', '/v1/webhook/endpoint.add', { url: `${good.url}/hook`, events: ['avatar_video.success'] });
    expect(added.status).toBe(200);
    expect(added.body).toMatchObject({ code: 100, data: { url: `${good.url}/hook`, events: ['avatar_video.success'] } });
    expect(added.body.data.secret).toMatch(/^whsec_/);

    const bad = await receiver();
    bad.optionsStatus = 405;
    const refused = await call(sb, 'POST', '/v1/webhook/endpoint.add', { url: `${bad.url}/hook` });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toContain('405');

    const list = await call(sb, 'GET', '/v1/webhook/endpoint.list');
    expect(list.body.data).toHaveLength(1);
    const removed = await call(sb, 'DELETE', `/v1/webhook/endpoint.delete?endpoint_id=${added.body.data.endpoint_id}`);
    expect(removed.body.code).toBe(100);
  });
});

describe('event delivery', () => {
  it('signs each delivery in one scheme, Standard Webhooks by default, verifiable with the secret', async () => {
    const target = await receiver();
    const sb = await start({ webhookTarget: `${target.url}/webhooks/heygen`, webhookSecret: SECRET });
    expect(sb.webhook).toMatchObject({ url: `${target.url}/webhooks/heygen`, secret: SECRET });
    const videoId = await render(sb, 'Ada', { enable_sharing: true });
    await sb.drain();

    expect(target.received).toHaveLength(1);
    const [delivery] = target.received;
    if (!delivery) throw new Error('no delivery');
    expect(delivery.body).toMatchObject({
      event_type: 'avatar_video.success',
      event_data: { video_id: videoId, callback_id: 'cb-Ada', folder_id: null, gif_download_url: null },
    });
    expect(delivery.body.event_data.url).toContain(`/_sandbox/files/${videoId}.mp4?Expires=`);
    expect(delivery.body.event_data.video_share_page_url).toContain(videoId);

    const id = delivery.headers['webhook-id'] as string;
    const timestamp = delivery.headers['webhook-timestamp'] as string;
    expect(id).toBe(delivery.body.event_id);
    const key = Buffer.from(SECRET.slice('whsec_'.length), 'base64');
    const standard = createHmac('sha256', key).update(`${id}.${timestamp}.${delivery.raw}`).digest('base64');
    expect(delivery.headers['webhook-signature']).toBe(`v1,${standard}`);
    // One scheme at a time: a receiver that only checks the other form is caught.
    expect(delivery.headers['x-heygen-signature']).toBeUndefined();
  });

  it('signs with X-HeyGen-Signature (hex HMAC of the body) alone when configured so', async () => {
    const target = await receiver();
    const sb = await start({ webhookTarget: target.url, webhookSecret: SECRET, signatureScheme: 'hex-hmac' });
    await render(sb, 'Hex');
    await sb.drain();
    const [delivery] = target.received;
    if (!delivery) throw new Error('no delivery');
    expect(delivery.headers['x-heygen-signature']).toBe(createHmac('sha256', SECRET).update(delivery.raw).digest('hex'));
    expect(delivery.headers['webhook-signature']).toBeUndefined();
    expect(delivery.headers['webhook-id']).toBeUndefined();
  });

  it('delivers failures as avatar_video.fail with msg, and keeps a history', async () => {
    const target = await receiver();
    const sb = await start({ webhookTarget: target.url, webhookSecret: SECRET, failRate: 1 });
    const videoId = await render(sb, 'Bob');
    await sb.drain();
    expect(target.received[0]?.body).toMatchObject({
      event_type: 'avatar_video.fail',
      event_data: { video_id: videoId, callback_id: 'cb-Bob', msg: 'The video could not be rendered' },
    });
    const history = await call(sb, 'GET', '/v3/webhooks/events');
    expect(history.body.data).toEqual([target.received[0]?.body]);
  });

  it('sends an unsigned delivery to a per-job callback_url, besides the registered endpoint', async () => {
    const target = await receiver();
    const sb = await start({ webhookTarget: `${target.url}/registered`, webhookSecret: SECRET });
    const videoId = await render(sb, 'Cy', { callback_url: `${target.url}/per-job` });
    await sb.drain();

    const [perJob] = target.at('/per-job');
    expect(perJob?.body.event_data.video_id).toBe(videoId);
    expect(perJob?.headers['webhook-signature']).toBeUndefined();
    expect(perJob?.headers['x-heygen-signature']).toBeUndefined();
    expect(target.at('/registered')[0]?.headers['webhook-signature']).toMatch(/^v1,/);
  });

  it('only sends subscribed events, except gif noise when asked for', async () => {
    const target = await receiver();
    const sb = await start({ faults: { callbackNoiseRate: 1 } });
    await call(sb, 'POST', '/v3/webhooks/endpoints', { url: `${target.url}/fails-only`, events: ['avatar_video.fail'] });
    await render(sb, 'Di');
    await sb.drain();
    expect(target.received.map((r) => r.body.event_type)).toEqual(['avatar_video_gif.success']);
    expect(sb.stats().callbacks.noise).toBe(1);
  });

  it('retries a delivery that does not get a 2xx, then gives up', async () => {
    const target = await receiver();
    target.answer = (_delivery, index) => (index === 0 ? 503 : 200);
    const sb = await start({ webhookTarget: target.url, webhookSecret: SECRET });
    await render(sb, 'Ed');
    await sb.drain();
    expect(target.received).toHaveLength(2);
    expect(target.received[1]?.headers['webhook-id']).toBe(target.received[0]?.headers['webhook-id']);
    expect(sb.stats().callbacks).toMatchObject({ sent: 2, delivered: 1, failed: 0 });

    target.answer = () => 500;
    await render(sb, 'Flo');
    await sb.drain();
    expect(sb.stats().callbacks).toMatchObject({ sent: 5, delivered: 1, failed: 1 });
  });

  it('signs with the rotated secret', async () => {
    const target = await receiver();
    const sb = await start({ webhookTarget: target.url, webhookSecret: SECRET, signatureScheme: 'hex-hmac' });
    const endpointId = sb.webhook?.endpointId ?? '';
    const rotated = (await call(sb, 'POST', `/v3/webhooks/endpoints/${endpointId}/rotate-secret`)).body.data.secret as string;
    await render(sb, 'Gus');
    await sb.drain();
    const delivery = target.received[0];
    expect(delivery?.headers['x-heygen-signature']).toBe(createHmac('sha256', rotated).update(delivery?.raw ?? '').digest('hex'));
  });
});

describe('callback faults', () => {
  async function runLossyScenario(): Promise<{ lost: string[]; duplicated: string[]; stats: HeyGenSandboxStats }> {
    const target = await receiver();
    const sb = await start({
      seed: 42,
      concurrency: 20,
      webhookTarget: target.url,
      webhookSecret: SECRET,
      faults: { callbackLossRate: 0.3, callbackDuplicateRate: 0.3, callbackDelayMs: { min: 0, max: 20 }, callbackReorder: true },
    });
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push(await render(sb, `P${i}`));
    await sb.drain();

    const counts = new Map<string, number>();
    for (const r of target.received) counts.set(r.body.event_data.video_id, (counts.get(r.body.event_data.video_id) ?? 0) + 1);
    return {
      lost: ids.filter((id) => !counts.has(id)),
      duplicated: ids.filter((id) => counts.get(id) === 2),
      stats: sb.stats(),
    };
  }

  it('loses and duplicates callbacks, reproducibly for a seed', async () => {
    const first = await runLossyScenario();
    expect(first.lost.length).toBeGreaterThan(0);
    expect(first.duplicated.length).toBeGreaterThan(0);
    expect(first.stats.callbacks.lost).toBe(first.lost.length);
    expect(first.stats.callbacks.duplicated).toBe(first.duplicated.length);
    expect(first.stats.callbacks.delivered).toBe(20 - first.lost.length + first.duplicated.length);

    const second = await runLossyScenario();
    expect(second.lost).toEqual(first.lost);
    expect(second.duplicated).toEqual(first.duplicated);
  });
});
