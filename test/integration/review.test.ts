/**
 * Review before send (`review: required`), as an operator meets it through
 * the real service, the sandbox and the admin API, on SQLite and
 * PostgreSQL: a finished video waits in `awaiting_review` (the CRM shows
 * PROCESSING and no link; the reviewer can watch it through its stable link;
 * it does not hold HeyGen's concurrency window), then `approve` writes it
 * back as any completed render (billed once) and `reject` fails it with the
 * reason. Refusals are clear and change nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { testDialects } from '../helpers/databases.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import type { RenderRow } from '../../src/store/schema.js';

interface RenderDetail {
  render: RenderRow;
  variant: string | null;
  timeline: Array<{ from_state: string | null; to_state: string; note: string }>;
}

describe.each(await testDialects())('review before send on %s', (dialect) => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  async function start(tweak: (config: Harness['config']) => void = () => {}): Promise<Harness> {
    h = await startHarness({
      dialect,
      tweak: (config) => {
        const campaign = config.campaigns.find((c) => c.id === 'bdr-intro');
        if (!campaign) throw new Error('bdr-intro missing from the test config');
        campaign.review = 'required';
        campaign.note = true;
        tweak(config);
      },
    });
    return h;
  }

  async function api<T>(harness: Harness, method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const headers: Record<string, string> = { authorization: `Bearer ${harness.secrets.adminToken}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${harness.env.publicUrl}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    return { status: response.status, body: (await response.json()) as T };
  }

  /** A new contact's bdr-intro render through a workflow webhook; resolves with its ids. */
  async function trigger(harness: Harness, firstname: string): Promise<{ contactId: string; renderId: number }> {
    const contactId = harness.sandbox.hubspot.crm.create('contacts', { firstname, company: 'Review Co' }).id;
    expect((await harness.postHubSpot({ hs_object_id: Number(contactId) }, { query: '?campaign=bdr-intro' })).status).toBe(200);
    const row = await harness.service.store.db.selectFrom('renders').select('id').where('object_id', '=', contactId).executeTakeFirstOrThrow();
    return { contactId, renderId: row.id };
  }

  async function row(harness: Harness, renderId: number): Promise<RenderRow> {
    return harness.service.store.db.selectFrom('renders').selectAll().where('id', '=', renderId).executeTakeFirstOrThrow();
  }

  /** Waits until the render waits for review and nothing is left to send to the CRM. */
  async function awaitingReview(harness: Harness, renderId: number): Promise<RenderRow> {
    await harness.waitFor(async () => (await row(harness, renderId)).state === 'awaiting_review', 20_000, 'the render to await review');
    await harness.settled();
    return row(harness, renderId);
  }

  function crm(harness: Harness, contactId: string): Record<string, string | null | undefined> {
    return harness.sandbox.hubspot.crm.get('contacts', contactId)?.properties ?? {};
  }

  async function transitions(harness: Harness, to: string): Promise<number> {
    const text = await (await fetch(`${harness.env.publicUrl}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith('reelay_render_transitions_total{') && l.includes(`to="${to}"`) && l.includes('campaign="bdr-intro"'));
    return line === undefined ? 0 : Number(line.split(' ').at(-1));
  }

  it('a finished video waits in awaiting_review: PROCESSING in the CRM, no link, watchable through its stable link; approve writes it back, billed once', async () => {
    const harness = await start();
    const { contactId, renderId } = await trigger(harness, 'Vera');
    const waiting = await awaitingReview(harness, renderId);

    // The CRM knows a video is under way, and nothing more.
    const before = crm(harness, contactId);
    expect(before.heygen_render_status).toBe('PROCESSING');
    expect(before.heygen_video_url ?? '').toBe('');
    expect(before.heygen_video_thumbnail_url ?? '').toBe('');
    expect(harness.sandbox.hubspot.notes.all()).toEqual([]);
    // The reviewer watches it through the stable link the CRM will get.
    expect(waiting.link_token).toMatch(/^[A-Za-z0-9_-]{16,64}$/);
    expect(waiting.review_link).toBe(`${harness.env.publicUrl}/v/${waiting.link_token}`);
    const watch = await fetch(waiting.review_link ?? '', { redirect: 'manual' });
    expect(watch.status).toBe(302);
    expect(watch.headers.get('location')).toBe(waiting.video_url);
    const page = await fetch(waiting.review_link ?? '', { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    // The reviewer's viewing is not the person's: the player's events count nothing yet.
    const play = await fetch(`${waiting.review_link ?? ''}/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"type":"play"}' });
    expect(play.status).toBe(404);
    expect(await harness.service.store.db.selectFrom('engagement').selectAll().execute()).toEqual([]);

    const listed = await api<{ renders: RenderRow[] }>(harness, 'GET', '/api/renders?state=awaiting_review');
    expect(listed.body.renders.map((r) => r.id)).toEqual([renderId]);
    expect(await transitions(harness, 'awaiting_review')).toBe(1);

    const approved = await api<{ ok: boolean; state: string }>(harness, 'POST', `/api/renders/${renderId}/approve`);
    expect(approved).toEqual({ status: 200, body: { ok: true, state: 'completed' } });
    await harness.waitFor(async () => crm(harness, contactId).heygen_render_status === 'COMPLETED', 20_000, 'COMPLETED in the CRM');
    await harness.settled();

    const after = crm(harness, contactId);
    const ledger = harness.sandbox.heygen.ledger();
    expect(ledger.filter((e) => e.billed)).toHaveLength(1);
    expect(after).toMatchObject({ heygen_render_status: 'COMPLETED', heygen_video_url: waiting.review_link, heygen_job_id: ledger[0]?.video_id });
    // The e-mail thumbnail, as a normal completion writes it.
    expect(waiting.review_thumbnail).toBe(`${waiting.review_link}/thumbnail.gif`);
    expect(after.heygen_video_thumbnail_url).toBe(waiting.review_thumbnail);
    expect(after.heygen_render_error ?? '').toBe('');
    // note: true, as for any completed render: one note with the link.
    const notes = harness.sandbox.hubspot.notes.all();
    expect(notes).toHaveLength(1);
    expect(notes[0]?.properties.hs_note_body).toContain(waiting.review_link);

    const detail = await api<RenderDetail>(harness, 'GET', `/api/renders/${renderId}`);
    expect(detail.body.render).toMatchObject({ state: 'completed', review_link: null, review_thumbnail: null });
    const moves = detail.body.timeline.filter((t) => t.from_state !== t.to_state).map((t) => t.to_state);
    expect(moves).toEqual(['received', 'enriched', 'submitting', 'rendering', 'awaiting_review', 'completed']);
    expect(detail.body.timeline.filter((t) => /approved by an operator/.test(t.note))).toHaveLength(1);
    expect(await transitions(harness, 'completed')).toBe(1);

    // Approving twice, or a render that is not waiting: a clear refusal that changes nothing.
    const again = await api<{ error: string; message: string }>(harness, 'POST', `/api/renders/${renderId}/approve`);
    expect(again.status).toBe(409);
    expect(again.body.message).toBe(`render ${renderId} is completed, not awaiting_review; only a render awaiting review can be approved or rejected`);
    expect((await api(harness, 'POST', '/api/renders/999999/approve')).status).toBe(404);
    expect(harness.sandbox.hubspot.notes.all()).toHaveLength(1);
    expect(await transitions(harness, 'completed')).toBe(1);
  });

  it('reject makes the render FAILED with "rejected: <reason>" in the CRM; a reject without a reason is refused', async () => {
    const harness = await start();
    const { contactId, renderId } = await trigger(harness, 'Wim');
    await awaitingReview(harness, renderId);

    for (const body of [undefined, {}, { reason: '   ' }, { reason: 'x', extra: 1 }]) {
      const refused = await api<{ error: string; message: string }>(harness, 'POST', `/api/renders/${renderId}/reject`, body);
      expect(refused.status).toBe(400);
      expect(refused.body.error).toBe('bad_request');
    }
    expect((await row(harness, renderId)).state).toBe('awaiting_review');

    const rejected = await api<{ ok: boolean; state: string }>(harness, 'POST', `/api/renders/${renderId}/reject`, { reason: 'the name is mispronounced' });
    expect(rejected).toEqual({ status: 200, body: { ok: true, state: 'failed' } });
    await harness.waitFor(async () => crm(harness, contactId).heygen_render_status === 'FAILED', 20_000, 'FAILED in the CRM');
    await harness.settled();

    expect(crm(harness, contactId)).toMatchObject({ heygen_render_status: 'FAILED', heygen_render_error: 'rejected: the name is mispronounced' });
    expect(crm(harness, contactId).heygen_video_url ?? '').toBe('');
    expect(harness.sandbox.hubspot.notes.all()).toEqual([]);
    const after = await row(harness, renderId);
    expect(after).toMatchObject({ state: 'failed', error_code: 'rejected', error_message: 'rejected: the name is mispronounced', review_link: null });
    // The stable link stops working with the rejection.
    expect((await fetch(`${harness.env.publicUrl}/v/${after.link_token}`, { redirect: 'manual' })).status).toBe(404);
    const detail = await api<RenderDetail>(harness, 'GET', `/api/renders/${renderId}`);
    expect(detail.body.timeline.at(-1)).toMatchObject({ from_state: 'awaiting_review', to_state: 'failed', note: 'rejected by an operator: the name is mispronounced' });
    expect(await transitions(harness, 'failed')).toBe(1);

    const again = await api<{ message: string }>(harness, 'POST', `/api/renders/${renderId}/reject`, { reason: 'twice' });
    expect(again.status).toBe(409);
    expect(again.body.message).toMatch(/is failed, not awaiting_review/);
    expect(harness.sandbox.heygen.ledger().filter((e) => e.billed)).toHaveLength(1);
  });

  it('cancel works on a render awaiting review: the CRM learns no video will come', async () => {
    const harness = await start();
    const { contactId, renderId } = await trigger(harness, 'Xia');
    await awaitingReview(harness, renderId);
    const cancelled = await api<{ ok: boolean; state: string }>(harness, 'POST', `/api/renders/${renderId}/cancel`);
    expect(cancelled).toEqual({ status: 200, body: { ok: true, state: 'cancelled' } });
    await harness.waitFor(async () => crm(harness, contactId).heygen_render_status === 'FAILED', 20_000, 'FAILED in the CRM');
    expect(await row(harness, renderId)).toMatchObject({ state: 'cancelled', review_link: null });
    expect((await api(harness, 'POST', `/api/renders/${renderId}/approve`)).status).toBe(409);
  });

  it('renders waiting for review free the HeyGen window and are not polled', async () => {
    // One render at a time at HeyGen.
    const harness = await start((config) => {
      config.heygen.concurrency = 1;
    });
    const first = await trigger(harness, 'Yul');
    const second = await trigger(harness, 'Zoe');
    // Both reach review: the first one's slot was given back when it started waiting.
    await awaitingReview(harness, first.renderId);
    await awaitingReview(harness, second.renderId);
    const statusReads = harness.sandbox.heygen.stats().statusCalls;
    // Past the poll interval (1 s in the test config): nobody asks HeyGen about a video under review.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(harness.sandbox.heygen.stats().statusCalls).toBe(statusReads);
    for (const { renderId, contactId } of [first, second]) {
      expect((await row(harness, renderId)).state).toBe('awaiting_review');
      expect(crm(harness, contactId).heygen_render_status).toBe('PROCESSING');
    }
    expect(harness.sandbox.heygen.ledger().filter((e) => e.billed)).toHaveLength(2);
  });
});
