/**
 * Forgetting a person (SPEC "Privacy"), on SQLite and PostgreSQL, through
 * the real service and sandbox: `POST /api/forget` and HubSpot's
 * `contact.privacyDeletion` delivery. Afterwards no table holds the
 * person's name, company, e-mail, titles, variables or webhook payloads;
 * each render is an anonymous billing row; the live render is cancelled;
 * HeyGen no longer serves the videos but its ledger still bills each once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { recordHeyGenCallback } from '../../src/app/heygen-callbacks.js';
import { ERASED_ID, ERASED_NOTE, ERASURE_NOTE, PRIVACY_CANCEL_NOTE } from '../../src/core/erasure.js';
import { testDialects } from '../helpers/databases.js';
import { startHarness, type Harness } from '../helpers/harness.js';

/** Values nobody else has, so finding one anywhere means it was not erased. */
const PERSON = { firstname: 'Zenobia', lastname: 'Quartermaine', company: 'Quillfeather Ltd', email: 'zenobia.q@example.org', contract_end_date: '2027-03-31' };
const OTHER = { firstname: 'Bartholomew', company: 'Other Co', email: 'bart@example.org', contract_end_date: '2027-01-01' };
const PERSONAL_VALUES = ['Zenobia', 'Quartermaine', 'Quillfeather', 'zenobia.q@example.org'];

/** Every row of every table (introspected, so a table added later is scanned too), as JSON text per table. */
async function dumpStore(h: Harness): Promise<Record<string, string>> {
  const tables = await h.service.store.db.introspection.getTables();
  const out: Record<string, string> = {};
  for (const table of tables) {
    if (table.name.startsWith('reelay_migrations')) continue;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    out[table.name] = JSON.stringify(await h.service.store.db.selectFrom(table.name as any).selectAll().execute());
  }
  return out;
}

function renderRows(h: Harness) {
  return h.service.store.db.selectFrom('renders').selectAll().orderBy('id').execute();
}

async function heygenServes(h: Harness, videoId: string): Promise<number> {
  const res = await fetch(`${h.env.heygenApiBase}/v3/videos/${videoId}`, { headers: { 'x-api-key': h.secrets.heygenApiKey } });
  await res.arrayBuffer();
  return res.status;
}

/**
 * The person gets a finished video (bdr-intro) and a render still under way
 * at HeyGen (renewal, stuck); another contact gets a finished video. The
 * workflow bodies carry the person's properties, so the stored payloads do too.
 */
async function seed(h: Harness): Promise<{ personId: string; otherId: string; completedVideo: string; liveVideo: string; linkToken: string }> {
  const crm = h.sandbox.hubspot.crm;
  const personId = crm.create('contacts', PERSON).id;
  const otherId = crm.create('contacts', OTHER).id;
  for (const [id, props] of [[personId, PERSON], [otherId, OTHER]] as const) {
    expect((await h.postHubSpot({ hs_object_id: Number(id), ...props }, { query: '?campaign=bdr-intro' })).status).toBe(200);
  }
  await h.waitFor(async () => (await renderRows(h)).filter((r) => r.state === 'completed').length === 2 || undefined, 30_000, 'both videos rendered');
  await h.settled();

  // The next render never finishes at HeyGen: it stays `rendering` (live) with a video id.
  h.sandbox.heygen.control.setFaults({ stuckRate: 1 });
  expect((await h.postHubSpot({ hs_object_id: Number(personId), ...PERSON }, { query: '?campaign=renewal' })).status).toBe(200);
  const live = await h.waitFor(async () => (await renderRows(h)).find((r) => r.campaign_id === 'renewal' && r.state === 'rendering' && r.video_id !== null), 30_000, 'the renewal render under way');

  const completed = (await renderRows(h)).find((r) => r.object_id === personId && r.state === 'completed');
  if (!completed?.video_id || !completed.link_token) throw new Error('the completed render has no video or link');
  return { personId, otherId, completedVideo: completed.video_id, liveVideo: live.video_id as string, linkToken: completed.link_token };
}

/** What must be true once the person is forgotten. */
async function expectForgotten(h: Harness, s: Awaited<ReturnType<typeof seed>>): Promise<void> {
  // The HeyGen deletions are the privacy worker's: wait for both videos to be gone.
  await h.waitFor(async () => ((await heygenServes(h, s.completedVideo)) === 404 && (await heygenServes(h, s.liveVideo)) === 404) || undefined, 20_000, 'the videos deleted at HeyGen');
  await h.waitFor(async () => (await h.service.store.db.selectFrom('video_deletions').selectAll().execute()).length === 0 || undefined, 10_000, 'the deletion queue empty');

  const dump = await dumpStore(h);
  for (const [table, text] of Object.entries(dump)) {
    for (const value of PERSONAL_VALUES) expect(text, `${table} still holds ${value}`).not.toContain(value);
  }

  const rows = await renderRows(h);
  expect(rows.filter((r) => r.object_id === s.personId)).toEqual([]);
  const erased = rows.filter((r) => r.object_id === ERASED_ID);
  // The anonymous billing records: campaign, state, times, video id.
  expect(erased.map((r) => [r.campaign_id, r.state, r.video_id])).toEqual([
    ['bdr-intro', 'completed', s.completedVideo],
    ['renewal', 'cancelled', s.liveVideo],
  ]);
  for (const r of erased) {
    expect([r.title, r.variables, r.link_token, r.video_url, r.share_url, r.event_id]).toEqual([null, null, null, null, null, null]);
    expect(r.created_at).toBeGreaterThan(0);
    expect(r.finished_at).toBeGreaterThan(0);
  }
  // The live render was cancelled through the lifecycle, and the timeline says why, without personal data.
  const cancelled = erased.find((r) => r.state === 'cancelled');
  const timeline = await h.service.store.db.selectFrom('render_timeline').selectAll().where('render_id', '=', cancelled?.id ?? -1).orderBy('id').execute();
  expect(timeline.filter((t) => t.from_state === 'rendering' && t.to_state === 'cancelled').map((t) => t.note)).toEqual([PRIVACY_CANCEL_NOTE]);
  expect(timeline.at(-1)?.note).toBe(ERASURE_NOTE);
  // Every other note was replaced (notes may quote values and links).
  expect(timeline.slice(0, -1).filter((t) => t.note !== PRIVACY_CANCEL_NOTE).every((t) => t.note === ERASED_NOTE)).toBe(true);

  // No stored payload concerns the person any more: webhook bodies and the HeyGen callbacks about the videos.
  const events = await h.service.store.db.selectFrom('events').selectAll().execute();
  expect(events.filter((e) => e.object_id === s.personId || e.object_id === s.completedVideo || e.object_id === s.liveVideo)).toEqual([]);
  expect(await h.service.store.db.selectFrom('outbox').selectAll().where('object_id', '=', s.personId).execute()).toEqual([]);

  // The stable link no longer resolves.
  const link = await fetch(`${h.service.url}/v/${s.linkToken}`, { redirect: 'manual' });
  await link.arrayBuffer();
  expect(link.status).toBe(404);

  // HeyGen billed each video once, and still shows it.
  const ledger = h.sandbox.heygen.ledger();
  expect(ledger.filter((e) => e.video_id === s.completedVideo)).toHaveLength(1);
  expect(ledger.filter((e) => e.video_id === s.liveVideo)).toHaveLength(1);
  expect(ledger.filter((e) => e.billed)).toHaveLength(3);

  // The other contact is untouched.
  const other = rows.find((r) => r.object_id === s.otherId);
  expect(other?.title).toContain('Bartholomew');
  expect(other?.state).toBe('completed');
  expect(await heygenServes(h, other?.video_id ?? '')).toBe(200);
}

async function forgetByApi(h: Harness, body: unknown): Promise<{ status: number; json: Record<string, any> }> {
  const res = await fetch(`${h.service.url}/api/forget`, {
    method: 'POST',
    headers: { authorization: `Bearer ${h.secrets.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, any> };
}

describe.each(await testDialects())('forgetting a person on %s', (dialect) => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('POST /api/forget erases them from every table, keeps anonymous billing rows, cancels the live render and deletes the videos at HeyGen; again, it changes nothing', async () => {
    h = await startHarness({ dialect });
    const s = await seed(h);

    const first = await forgetByApi(h, { object: 'contacts', id: s.personId });
    expect(first.status).toBe(200);
    expect(first.json.erased).toMatchObject({ cancelled: 1, renders: 2, videosQueued: 2 });
    expect(first.json.erased.events).toBeGreaterThanOrEqual(2);
    expect(first.json.erased.timelineNotes).toBeGreaterThan(0);
    await expectForgotten(h, s);

    // A late HeyGen callback about a forgotten video is recorded (for dedupe) without its body, which may echo the title.
    const late = { source: 'heygen' as const, dedupe_key: 'hgs_late', portal_id: '', kind: 'avatar_video.success', object_type: null, object_id: s.completedVideo, campaign_id: null, status: 'accepted' as const, reason: null };
    await recordHeyGenCallback(h.service.store, { ...late, payload: JSON.stringify({ event_data: { video_id: s.completedVideo, title: 'Intro for Zenobia' } }) }, Date.now());
    expect(await h.service.store.db.selectFrom('events').select('payload').where('dedupe_key', '=', 'hgs_late').executeTakeFirst()).toEqual({ payload: '{}' });

    const before = await dumpStore(h);
    const again = await forgetByApi(h, { object: 'contact', id: s.personId });
    expect(again.status).toBe(200);
    expect(again.json.erased).toEqual({ cancelled: 0, renders: 0, timelineNotes: 0, events: 0, crmWrites: 0, renderData: 0, videosQueued: 0 });
    expect(await dumpStore(h)).toEqual(before);
  });

  it('an unknown object type is refused with a clear message and nothing changes', async () => {
    const harness = await startHarness({ dialect });
    h = harness;
    const crm = h.sandbox.hubspot.crm;
    const id = crm.create('contacts', PERSON).id;
    expect((await h.postHubSpot({ hs_object_id: Number(id), ...PERSON }, { query: '?campaign=bdr-intro' })).status).toBe(200);
    await h.waitFor(async () => (await renderRows(harness)).some((r) => r.state === 'completed') || undefined, 30_000, 'the video rendered');
    await h.settled();
    const before = await dumpStore(h);
    const refused = await forgetByApi(h, { object: 'people', id });
    expect(refused.status).toBe(400);
    expect(refused.json.message).toMatch(/unknown object type "people"/);
    expect(await dumpStore(h)).toEqual(before);
  });

  it("HubSpot's contact.privacyDeletion (signed, from the sandbox) is stored, acted on by the worker and then deleted", async () => {
    const harness = await startHarness({ dialect });
    h = harness;
    const s = await seed(h);
    h.sandbox.hubspot.webhooks.privacyDeletion(s.personId);
    await h.sandbox.hubspot.webhooks.drain();
    expect(h.sandbox.hubspot.webhooks.stats().subscription.delivered, JSON.stringify(h.sandbox.hubspot.webhooks.log())).toBeGreaterThanOrEqual(1);
    await expectForgotten(h, s);
    // The request itself is not kept after it was acted on.
    const events = await h.service.store.db.selectFrom('events').selectAll().where('kind', '=', 'privacy_deletion').execute();
    expect(events).toEqual([]);
    expect(h.logs()).not.toContain(PERSON.firstname);
  });

  it('with heygen.api: v2 the videos are deleted through the legacy endpoint', async () => {
    const harness = await startHarness({ dialect, tweak: (c) => void (c.heygen.api = 'v2') });
    h = harness;
    const s = await seed(harness);
    expect((await forgetByApi(harness, { object: 'contacts', id: s.personId })).status).toBe(200);
    const legacyStatus = async (videoId: string) => {
      const res = await fetch(`${harness.env.heygenApiBase}/v1/video_status.get?video_id=${videoId}`, { headers: { 'x-api-key': harness.secrets.heygenApiKey } });
      await res.arrayBuffer();
      return res.status;
    };
    await harness.waitFor(async () => ((await legacyStatus(s.completedVideo)) === 404 && (await legacyStatus(s.liveVideo)) === 404) || undefined, 20_000, 'the videos deleted at HeyGen');
    await expectForgotten(harness, s);
  });

  it('a HeyGen that refuses the deletion does not block the erasure; the deletion is retried until it works', async () => {
    const harness = await startHarness({ dialect });
    h = harness;
    const s = await seed(h);
    h.sandbox.heygen.control.setFaults({ stuckRate: 1, errorRate: 1 });
    const first = await forgetByApi(h, { object: 'contacts', id: s.personId });
    expect(first.status).toBe(200);
    expect(first.json.erased).toMatchObject({ renders: 2, videosQueued: 2 });
    // The store is already clean while HeyGen keeps failing.
    const dump = await dumpStore(h);
    for (const value of PERSONAL_VALUES) expect(dump.renders).not.toContain(value);
    const failing = await h.waitFor(
      async () => {
        const rows = await harness.service.store.db.selectFrom('video_deletions').selectAll().execute();
        return rows.length === 2 && rows.every((r) => r.attempts >= 1 && r.last_error !== null) ? rows : undefined;
      },
      20_000,
      'the deletions to fail at least once',
    );
    expect(failing.map((r) => r.status)).toEqual(['pending', 'pending']);
    expect(h.logs()).toContain('HeyGen video deletion failed');
    h.sandbox.heygen.control.setFaults({ errorRate: 0 });
    await expectForgotten(h, s);
  });
});
