/**
 * `POST /webhooks/heygen`: callbacks are verified, and even a verified one is
 * only a hint: the render's fate is read from HeyGen's API. Callbacks are
 * signed here independently of src/ (Standard Webhooks), so a mistake in the
 * service's verification cannot hide behind the same mistake in the test.
 *
 * Also: what users see when HeyGen fails a render, and that renders whose
 * callbacks never arrive still finish through polling.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { testDialects } from '../helpers/databases.js';
import { startHarness, type Harness, type HarnessOptions } from '../helpers/harness.js';
import type { RenderRow } from '../../src/store/schema.js';

/** Standard Webhooks: `v1,<base64 HMAC-SHA256(key, "id.timestamp.body")>`, key = base64 after `whsec_`. */
function signCallback(secret: string, body: string, opts: { id?: string; timestampSeconds?: number } = {}): Record<string, string> {
  const id = opts.id ?? `msg_${randomBytes(8).toString('hex')}`;
  const timestamp = String(opts.timestampSeconds ?? Math.floor(Date.now() / 1000));
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const signature = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
  return { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': `v1,${signature}` };
}

/** A link no callback may ever get written to the CRM. */
const FORGED_URL = 'https://attacker.example/forged.mp4';

function successEvent(videoId: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    event_id: `evt_${randomBytes(8).toString('hex')}`,
    event_type: 'avatar_video.success',
    event_data: { video_id: videoId, url: FORGED_URL, ...extra },
  };
}

describe.each(await testDialects())('HeyGen callbacks on %s', (dialect) => {
  let h: Harness;
  afterEach(async () => h?.stop());

  function callbackUrl(): string {
    return `${h.env.publicUrl}/webhooks/heygen`;
  }

  async function postCallback(body: unknown, headers: Record<string, string> | 'sign' = 'sign'): Promise<Response> {
    const raw = JSON.stringify(body);
    const signed = headers === 'sign' ? signCallback(h.secrets.heygenWebhookSecret, raw) : headers;
    return fetch(callbackUrl(), { method: 'POST', headers: { 'content-type': 'application/json', ...signed }, body: raw });
  }

  async function renders(): Promise<RenderRow[]> {
    return h.service.store.db.selectFrom('renders').selectAll().orderBy('id').execute();
  }

  async function timeline(renderId: number): Promise<Array<{ id: number; note: string; to_state: string }>> {
    return h.service.store.db
      .selectFrom('render_timeline')
      .select(['id', 'note', 'to_state'])
      .where('render_id', '=', renderId)
      .orderBy('id')
      .execute();
  }

  /** Starts a bdr-intro render for a new contact and waits until HeyGen has it (state `rendering`). */
  async function renderingContact(firstname: string): Promise<{ contactId: string; render: RenderRow }> {
    const contactId = h.sandbox.hubspot.crm.create('contacts', { firstname, company: 'Hint Co' }).id;
    const response = await h.postHubSpot({ hs_object_id: Number(contactId) }, { query: '?campaign=bdr-intro' });
    expect(response.status).toBe(200);
    const render = await h.waitFor(
      async () => (await renders()).find((r) => r.object_id === contactId && r.state === 'rendering' && r.video_id !== null),
      20_000,
      `the render of ${firstname} to be with HeyGen`,
    );
    return { contactId, render };
  }

  /** A harness whose renders never finish at HeyGen (they stay `processing` and send no callback). */
  function stuckRenders(extra: HarnessOptions = {}): Promise<Harness> {
    return startHarness({ dialect, ...extra, sandbox: { heygen: { faults: { stuckRate: 1 } } } });
  }

  /**
   * Waits until the tracker has read the render's status from HeyGen after
   * the callback was recorded, and returns what it read.
   */
  async function statusReadAfterCallback(renderId: number): Promise<string> {
    const entry = await h.waitFor(
      async () => {
        const entries = await timeline(renderId);
        const hint = entries.findIndex((e) => e.note.startsWith('HeyGen callback:'));
        return hint === -1 ? undefined : entries.slice(hint + 1).find((e) => /^HeyGen says /.test(e.note) || e.to_state !== 'rendering');
      },
      20_000,
      'the tracker to check the hinted render with HeyGen',
    );
    return entry.note;
  }

  it('OPTIONS (HeyGen probing the endpoint) is answered 200', async () => {
    h = await startHarness({ dialect });
    const response = await fetch(callbackUrl(), { method: 'OPTIONS' });
    expect(response.status).toBe(200);
  });

  it('unsigned and badly signed callbacks get 401 and change nothing', async () => {
    h = await stuckRenders();
    const { contactId, render } = await renderingContact('Uma');
    const body = JSON.stringify(successEvent(render.video_id as string));
    const otherSecret = `whsec_${randomBytes(24).toString('base64')}`;
    const attempts: Array<[string, Record<string, string>]> = [
      ['unsigned', {}],
      ['signed with another secret', signCallback(otherSecret, body)],
      ['signature of another body', signCallback(h.secrets.heygenWebhookSecret, `${body} `)],
      ['signed 10 minutes ago', signCallback(h.secrets.heygenWebhookSecret, body, { timestampSeconds: Math.floor(Date.now() / 1000) - 600 })],
      ['webhook-signature without webhook-id', { 'webhook-signature': signCallback(h.secrets.heygenWebhookSecret, body)['webhook-signature'] as string }],
      ['a hex signature made with another secret', { 'x-heygen-signature': createHmac('sha256', 'wrong').update(body).digest('hex') }],
    ];
    for (const [what, headers] of attempts) {
      const response = await fetch(callbackUrl(), { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
      expect(response.status, what).toBe(401);
    }
    const heygenEvents = await h.service.store.db.selectFrom('events').select('id').where('source', '=', 'heygen').execute();
    expect(heygenEvents).toEqual([]);
    expect((await renders())[0]).toMatchObject({ id: render.id, state: 'rendering' });
    expect((await timeline(render.id)).some((e) => e.note.startsWith('HeyGen callback'))).toBe(false);
    expect(h.sandbox.hubspot.crm.get('contacts', contactId)?.properties.heygen_render_status).not.toBe('COMPLETED');
  });

  it('a signed success callback for a video HeyGen still reports processing does not complete it', async () => {
    h = await stuckRenders();
    const { contactId, render } = await renderingContact('Vic');
    const response = await postCallback(successEvent(render.video_id as string, { callback_id: render.render_key }));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'hinted' });

    expect(await statusReadAfterCallback(render.id)).toMatch(/^HeyGen says (queued|processing)$/);
    expect((await renders())[0]).toMatchObject({ state: 'rendering', video_url: null });
    // HeyGen may still say `queued` at the first check (the CRM keeps PENDING
    // then); PROCESSING is written once a poll finds it processing.
    await h.waitFor(
      async () =>
        h.sandbox.hubspot.crm.get('contacts', contactId)?.properties.heygen_render_status === 'PROCESSING' &&
        (await h.service.store.db.selectFrom('outbox').select('id').execute()).length === 0,
      20_000,
      'the CRM to show PROCESSING',
    );
    const props = h.sandbox.hubspot.crm.get('contacts', contactId)?.properties ?? {};
    expect(props.heygen_video_url).toBeUndefined();
    expect((await renders())[0]).toMatchObject({ state: 'rendering', video_url: null });
    expect(h.sandbox.heygen.ledger().map((e) => e.status)).toEqual(['processing']);
  });

  it('with acceptUnsignedCallbacks an unsigned callback is accepted, and is still only a hint', async () => {
    h = await stuckRenders({ tweak: (c) => void (c.heygen.acceptUnsignedCallbacks = true) });
    const { contactId, render } = await renderingContact('Wes');
    const response = await postCallback(successEvent(render.video_id as string), {});
    expect(response.status).toBe(200);

    expect(await statusReadAfterCallback(render.id)).toMatch(/^HeyGen says (queued|processing)$/);
    expect((await renders())[0]?.state).toBe('rendering');
    const props = h.sandbox.hubspot.crm.get('contacts', contactId)?.properties ?? {};
    expect(props.heygen_render_status).not.toBe('COMPLETED');
    expect(JSON.stringify(props)).not.toContain(FORGED_URL);
  });

  it('unsigned callbacks are stored only for a render in flight, small, and a few per video', async () => {
    h = await stuckRenders({ tweak: (c) => void (c.heygen.acceptUnsignedCallbacks = true) });
    const { render } = await renderingContact('Ola');
    const videoId = render.video_id as string;
    const heygenEvents = () => h.service.store.db.selectFrom('events').select(['dedupe_key', 'payload']).where('source', '=', 'heygen').execute();

    const unknown = await postCallback(successEvent('0123456789abcdef0123456789abcdef'), {});
    expect(unknown.status).toBe(401);
    const noVideo = await postCallback({ event_type: 'avatar_video.success', event_data: { callback_id: render.render_key } }, {});
    expect(noVideo.status).toBe(401);
    const large = await postCallback(successEvent(videoId, { padding: 'x'.repeat(8_000) }), {});
    expect(large.status).toBe(413);
    expect(await heygenEvents()).toEqual([]);

    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await postCallback(successEvent(videoId), {})).status);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(0);
    expect(statuses.slice(-1)).toEqual([429]);
    const stored = await heygenEvents();
    expect(stored.length).toBe(statuses.filter((s) => s === 200).length);
    expect(stored.length).toBeLessThanOrEqual(5);
    for (const event of stored) expect(event.payload.length).toBeLessThanOrEqual(4096);

    // A signed callback is never held back by the unsigned ones.
    const signed = await postCallback(successEvent(videoId));
    expect(signed.status).toBe(200);
    expect(await signed.json()).toEqual({ status: 'hinted' });
  });

  it('an unsigned callback never shadows the signed one with the same event id', async () => {
    h = await stuckRenders({ tweak: (c) => void (c.heygen.acceptUnsignedCallbacks = true) });
    const { render } = await renderingContact('Pia');
    const event = successEvent(render.video_id as string);
    // An attacker pre-sends the event id HeyGen will use for the genuine callback.
    expect((await postCallback(event, {})).status).toBe(200);

    const genuine = await postCallback(event);
    expect(genuine.status).toBe(200);
    expect(await genuine.json()).toEqual({ status: 'hinted' });
    const again = await postCallback(event);
    expect(await again.json()).toEqual({ status: 'duplicate' });
    const stored = await h.service.store.db.selectFrom('events').select('id').where('source', '=', 'heygen').execute();
    expect(stored).toHaveLength(2);
  });

  it('unsigned callbacks are rate-limited before anything is looked up', async () => {
    h = await startHarness({ dialect, tweak: (c) => void (c.heygen.acceptUnsignedCallbacks = true) });
    const statuses: number[] = [];
    for (let i = 0; i < 130; i++) statuses.push((await postCallback(successEvent(`v${i}`), {})).status);
    expect(new Set(statuses.slice(0, 100))).toEqual(new Set([401]));
    expect(statuses.slice(-5)).toEqual([429, 429, 429, 429, 429]);
    // Signed callbacks are not affected.
    expect((await postCallback(successEvent('v-signed'))).status).toBe(200);
  });

  it('v2 recovery never adopts a video an unsigned callback names: a contact never gets another contact\'s video', async () => {
    h = await startHarness({
      dialect,
      tweak: (c) => {
        c.heygen.api = 'v2';
        c.heygen.acceptUnsignedCallbacks = true;
      },
    });
    const crm = h.sandbox.hubspot.crm;
    const ann = crm.create('contacts', { firstname: 'Ann', company: 'Victim Co' }).id;
    expect((await h.postHubSpot({ hs_object_id: Number(ann) }, { query: '?campaign=bdr-intro' })).status).toBe(200);
    await h.settled();
    const annVideo = crm.get('contacts', ann)?.properties.heygen_job_id as string;
    expect(annVideo).toBeTruthy();

    // Every HeyGen call now fails with a 5xx: Ben's create fails, and v2 recovery starts looking for his render.
    h.sandbox.heygen.control.setFaults({ errorRate: 1 });
    const ben = crm.create('contacts', { firstname: 'Ben', company: 'Target Co' }).id;
    expect((await h.postHubSpot({ hs_object_id: Number(ben) }, { query: '?campaign=bdr-intro' })).status).toBe(200);
    const benRender = await h.waitFor(
      async () => (await renders()).find((r) => r.object_id === ben && r.render_key !== null && r.state === 'submitting' && r.error_message !== null),
      20_000,
      "Ben's create to fail once",
    );
    // An attacker who knows Ben's render key claims that Ann's video is his.
    await postCallback({ event_type: 'avatar_video.success', event_data: { video_id: annVideo, callback_id: benRender.render_key } }, {});
    h.sandbox.heygen.control.setFaults({ errorRate: 0 });

    await h.settled(40_000);
    const benProps = crm.get('contacts', ben)?.properties ?? {};
    expect(benProps.heygen_render_status).toBe('COMPLETED');
    expect(benProps.heygen_job_id).not.toBe(annVideo);
    const benRow = (await renders()).find((r) => r.id === benRender.id);
    expect(benRow?.video_id).not.toBe(annVideo);
    const benLedger = h.sandbox.heygen.ledger().filter((e) => e.callback_id === benRender.render_key);
    expect(benLedger.map((e) => e.video_id)).toEqual([benRow?.video_id]);
  });

  it.each([
    ['an unsigned callback (stored: it names a render in flight)', 'unsigned'],
    ['even a signed callback', 'signed'],
  ] as const)('v2 recovery does not adopt the video %s attributes to another render, unless HeyGen confirms it', async (_what, how) => {
    h = await stuckRenders({
      tweak: (c) => {
        c.heygen.api = 'v2';
        c.heygen.acceptUnsignedCallbacks = true;
      },
    });
    const { render: cai } = await renderingContact('Cai');
    h.sandbox.heygen.control.setFaults({ errorRate: 1 });
    const dot = h.sandbox.hubspot.crm.create('contacts', { firstname: 'Dot', company: 'Hint Co' }).id;
    expect((await h.postHubSpot({ hs_object_id: Number(dot) }, { query: '?campaign=bdr-intro' })).status).toBe(200);
    const dotRender = await h.waitFor(
      async () => (await renders()).find((r) => r.object_id === dot && r.render_key !== null && r.state === 'submitting' && r.error_message !== null),
      20_000,
      "Dot's create to fail once",
    );
    const forged = { event_id: `evt_${randomBytes(8).toString('hex')}`, event_type: 'avatar_video.success', event_data: { video_id: cai.video_id, callback_id: dotRender.render_key } };
    const response = await postCallback(forged, how === 'signed' ? 'sign' : {});
    expect(response.status).toBe(200);
    h.sandbox.heygen.control.setFaults({ errorRate: 0 });

    const rendering = await h.waitFor(
      async () => (await renders()).find((r) => r.id === dotRender.id && r.state === 'rendering' && r.video_id !== null),
      20_000,
      "Dot's render to be with HeyGen",
    );
    expect(rendering.video_id).not.toBe(cai.video_id);
    expect(h.sandbox.heygen.ledger().filter((e) => e.callback_id === dotRender.render_key).map((e) => e.video_id)).toEqual([rendering.video_id]);
  });

  it('callbacks for unknown videos and unsubscribed event types are acknowledged and change nothing', async () => {
    h = await startHarness({ dialect });
    const contactId = h.sandbox.hubspot.crm.create('contacts', { firstname: 'Xia', company: 'Known Co' }).id;
    await h.postHubSpot({ hs_object_id: Number(contactId) }, { query: '?campaign=bdr-intro' });
    await h.settled();
    await h.sandbox.heygen.drain();
    const before = { renders: await renders(), crm: h.sandbox.hubspot.crm.get('contacts', contactId), ledger: h.sandbox.heygen.ledger() };
    expect(before.crm?.properties.heygen_render_status).toBe('COMPLETED');
    const videoId = before.renders[0]?.video_id as string;

    const unknown = await postCallback(successEvent('0123456789abcdef0123456789abcdef'));
    expect(unknown.status).toBe(200);
    expect(await unknown.json()).toEqual({ status: 'unknown_video' });
    const unknownFailure = await postCallback({ event_type: 'avatar_video.fail', event_data: { video_id: 'fedcba9876543210', msg: 'nope' } });
    expect(unknownFailure.status).toBe(200);

    const gif = await postCallback({
      event_id: `evt_${randomBytes(8).toString('hex')}`,
      event_type: 'avatar_video_gif.success',
      event_data: { video_id: videoId, url: 'https://attacker.example/animated.gif' },
    });
    expect(gif.status).toBe(200);
    expect(await gif.json()).toEqual({ status: 'ignored_event' });
    const stored = await h.service.store.db.selectFrom('events').select(['status', 'reason']).where('kind', '=', 'avatar_video_gif.success').execute();
    expect(stored).toEqual([{ status: 'ignored', reason: 'event type avatar_video_gif.success is not one Reelay acts on' }]);

    await h.settled();
    expect(await renders()).toEqual(before.renders);
    expect(h.sandbox.hubspot.crm.get('contacts', contactId)).toEqual(before.crm);
    expect(h.sandbox.heygen.ledger()).toEqual(before.ledger);
  });

  it('renders whose callbacks are all lost still end COMPLETED through polling', async () => {
    h = await startHarness({
      dialect,
      sandbox: { heygen: { faults: { callbackLossRate: 1 } } },
      tweak: (c) => {
        c.heygen.callbackGrace = 300;
        c.heygen.pollEvery = 200;
      },
    });
    const crm = h.sandbox.hubspot.crm;
    const ids = ['Yan', 'Zoe', 'Abe'].map((firstname) => crm.create('contacts', { firstname, company: 'Lost Mail Co' }).id);
    for (const id of ids) expect((await h.postHubSpot({ hs_object_id: Number(id) }, { query: '?campaign=bdr-intro' })).status).toBe(200);

    await h.settled();
    for (const id of ids) expect(crm.get('contacts', id)?.properties.heygen_render_status).toBe('COMPLETED');
    expect(h.sandbox.heygen.stats().callbacks).toMatchObject({ delivered: 0, lost: 3 });
    const callbacksReceived = await h.service.store.db.selectFrom('events').select('id').where('source', '=', 'heygen').execute();
    expect(callbacksReceived).toEqual([]);
    expect(h.sandbox.heygen.ledger().filter((e) => e.billed)).toHaveLength(3);
  });

  it('a render HeyGen fails shows FAILED with the code in the CRM, and is not retried into a second bill', async () => {
    h = await startHarness({ dialect });
    h.sandbox.heygen.control.setFaults({ failRate: 1, failCodes: ['RENDER_FAILED'] });
    const contactId = h.sandbox.hubspot.crm.create('contacts', { firstname: 'Bea', company: 'Broken Co' }).id;
    await h.postHubSpot({ hs_object_id: Number(contactId) }, { query: '?campaign=bdr-intro' });

    const props = await h.waitFor(
      async () => {
        const p = h.sandbox.hubspot.crm.get('contacts', contactId)?.properties;
        return p?.heygen_render_status === 'FAILED' ? p : undefined;
      },
      20_000,
      'the CRM to show FAILED',
    );
    expect(props.heygen_render_error).toMatch(/^RENDER_FAILED: /);
    await h.settled();
    await h.sandbox.heygen.drain();

    const [render, ...others] = await renders();
    expect(others).toEqual([]);
    expect(render).toMatchObject({ state: 'failed', error_code: 'RENDER_FAILED' });
    expect(props.heygen_job_id).toBe(render?.video_id);
    const ledger = h.sandbox.heygen.ledger();
    expect(ledger).toHaveLength(1);
    expect(ledger[0]).toMatchObject({ video_id: render?.video_id, status: 'failed', billed: false });
  });
});

/**
 * The sandbox signs in one scheme at a time; Reelay must accept either, end
 * to end: every delivery answered 2xx at the first attempt and stored.
 */
describe.each(['standard-webhooks', 'hex-hmac'] as const)('HeyGen callbacks signed %s', (signatureScheme) => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('are verified and acted on', async () => {
    const harness = await startHarness({ sandbox: { heygen: { signatureScheme } } });
    h = harness;
    const crm = harness.sandbox.hubspot.crm;
    const id = crm.create('contacts', { firstname: 'Sig', company: 'Schemes Ltd' }).id;
    await harness.postHubSpot({ hs_object_id: Number(id) }, { query: '?campaign=bdr-intro' });
    await harness.waitFor(async () => crm.get('contacts', id)?.properties.heygen_render_status === 'COMPLETED', 20_000, 'the video');
    await harness.sandbox.heygen.drain();

    const callbacks = harness.sandbox.heygen.stats().callbacks;
    expect(callbacks.sent).toBeGreaterThanOrEqual(1);
    expect(callbacks.delivered).toBe(callbacks.sent);
    const stored = await harness.service.store.db.selectFrom('events').selectAll().where('source', '=', 'heygen').execute();
    expect(stored.length).toBeGreaterThanOrEqual(1);
    expect(harness.logs()).not.toMatch(/signature mismatch|unsigned callback/);
  });
});
