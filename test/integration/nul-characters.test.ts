/**
 * NUL characters (U+0000) in what a request carries: PostgreSQL text columns
 * cannot hold them, so before this was caught a signed HubSpot delivery with
 * one in its portalId or `?campaign=` answered 503 (HubSpot retries that for
 * days), a signed HeyGen callback and an admin query answered 500. Found by
 * fuzzing. Now: 400 naming the problem, nothing stored, on both databases
 * (a NUL anywhere in a webhook body is refused, wherever it would have gone).
 */
import { createHmac, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../helpers/databases.js';
import { startHarness, type Harness } from '../helpers/harness.js';

const event = (overrides: Record<string, unknown>) => ({
  eventId: 1,
  subscriptionId: 2,
  portalId: 62515,
  occurredAt: 1_700_000_000_000,
  subscriptionType: 'contact.propertyChange',
  objectId: 5,
  propertyName: 'lifecyclestage',
  propertyValue: 'marketingqualifiedlead',
  ...overrides,
});

describe.each(await testDialects())('NUL characters on %s', (dialect) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ dialect, role: 'web' });
  });
  afterAll(async () => h?.stop());

  async function traces(): Promise<string> {
    const db = h.service.store.db;
    return JSON.stringify([await db.selectFrom('events').select('id').execute(), await db.selectFrom('renders').select(['id', 'state']).execute()]);
  }

  it.each([
    ['a portalId', [event({ portalId: '62515\u0000' })], ''],
    ['a subscriptionType', [event({ subscriptionType: 'contact.property\u0000Change' })], ''],
    ['a propertyName', [event({ propertyName: 'lifecycle\u0000stage' })], ''],
    ['a workflow body key', { hs_object_id: 5, 'first\u0000name': 'x' }, '?campaign=bdr-intro'],
    ['the ?campaign= parameter', { hs_object_id: 5 }, '?campaign=bdr%00intro'],
  ])('HubSpot: %s with a NUL, correctly signed -> 400, nothing stored', async (_name, body, query) => {
    const before = await traces();
    const response = await h.postHubSpot(body, { query });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toMatch(/NUL/);
    expect(await traces()).toBe(before);
  });

  it.each([
    ['an event_id', { event_id: 'evt\u0000', event_type: 'avatar_video.success', event_data: { video_id: 'v1' } }],
    ['an event_type', { event_type: 'avatar_video.\u0000', event_data: {} }],
    ['a video_id', { event_type: 'avatar_video.success', event_data: { video_id: 'v\u00001' } }],
  ])('HeyGen: %s with a NUL, correctly signed -> 400, nothing stored', async (_name, body) => {
    const before = await traces();
    const raw = JSON.stringify(body);
    const id = `msg_${randomBytes(6).toString('hex')}`;
    const ts = String(Math.floor(Date.now() / 1000));
    const key = Buffer.from(h.secrets.heygenWebhookSecret.slice('whsec_'.length), 'base64');
    const signature = createHmac('sha256', key).update(`${id}.${ts}.${raw}`).digest('base64');
    const response = await fetch(`${h.env.publicUrl}/webhooks/heygen`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': ts, 'webhook-signature': `v1,${signature}` },
      body: raw,
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toMatch(/NUL/);
    expect(await traces()).toBe(before);
  });

  it.each(['/api/renders?campaign=a%00b', '/api/renders/retry-failed?campaign=%00'])('admin: %s -> 400 naming campaign', async (path) => {
    const before = await traces();
    const response = await fetch(`${h.env.publicUrl}${path}`, {
      method: path.includes('retry') ? 'POST' : 'GET',
      headers: { authorization: `Bearer ${h.secrets.adminToken}` },
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { issues: Array<{ path: string }> }).issues.map((i) => i.path)).toEqual(['campaign']);
    expect(await traces()).toBe(before);
  });

  it('a NUL anywhere in the body is refused alike (a property value too), while the same body without it is accepted', async () => {
    const before = await traces();
    const refused = await h.postHubSpot([event({ eventId: 99, propertyValue: 'a\u0000b' })]);
    expect(refused.status).toBe(400);
    expect(await traces()).toBe(before);
    // A backslash and "u0000" as plain text is no NUL.
    expect((await h.postHubSpot([event({ eventId: 99, propertyValue: 'a\\u0000b' })])).status).toBe(200);
  });
});
