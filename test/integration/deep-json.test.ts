/**
 * JSON nested deeper than 64 levels is a malformed body (SPEC "Inbound
 * responses"): 400 with a clear message and nothing stored, on both webhook
 * endpoints, even when correctly signed. Before the limit, 5,000 levels
 * overflowed the stack while hashing the body and answered 500, which
 * HubSpot retries for three days.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../helpers/databases.js';
import { startHarness, type Harness } from '../helpers/harness.js';

/** `depth` nested arrays around `inner`: `[[...inner...]]`. */
function nestedArrays(depth: number, inner = '0'): string {
  return `${'['.repeat(depth)}${inner}${']'.repeat(depth)}`;
}

/** `depth` nested objects: `{"a":{"a":...}}`. */
function nestedObjects(depth: number): string {
  return `${'{"a":'.repeat(depth)}0${'}'.repeat(depth)}`;
}

function signCallback(secret: string, body: string): Record<string, string> {
  const id = `msg_${randomBytes(8).toString('hex')}`;
  const timestamp = String(Math.floor(Date.now() / 1000));
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const signature = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
  return { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': `v1,${signature}` };
}

describe.each(await testDialects())('deeply nested JSON on %s', (dialect) => {
  let h: Harness;
  let contactId: string;
  beforeAll(async () => {
    h = await startHarness({ dialect });
    contactId = h.sandbox.hubspot.crm.create('contacts', { firstname: 'Deb', company: 'Deep Co' }).id;
  });
  afterAll(async () => h?.stop());

  async function traces(): Promise<{ events: number; renders: number }> {
    const db = h.service.store.db;
    const events = await db.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const renders = await db.selectFrom('renders').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return { events: Number(events.n), renders: Number(renders.n) };
  }

  const hubspotBodies: Array<[string, (id: string) => string]> = [
    ['5,000 nested arrays', () => nestedArrays(5_000)],
    ['5,000 nested objects', () => nestedObjects(5_000)],
    ['a workflow body with a field nested 5,000 levels deep (was a 500)', (id) => `{"hs_object_id":${id},"notes":${nestedArrays(5_000)}}`],
    ['a subscription event with a field nested 5,000 levels deep (was a 500)', (id) => `[{"objectId":${id},"propertyName":"x","subscriptionType":"contact.propertyChange","extra":${nestedObjects(5_000)}}]`],
    ['a workflow body with a field nested 65 levels deep', (id) => `{"hs_object_id":${id},"notes":${nestedArrays(64)}}`],
    ['a subscription array whose event holds 64 more levels', (id) => `[{"objectId":${id},"propertyName":"x","subscriptionType":"contact.propertyChange","extra":${nestedArrays(64)}}]`],
  ];

  it.each(hubspotBodies)('HubSpot: %s, correctly signed -> 400, nothing stored', async (_name, body) => {
    const before = await traces();
    const response = await h.postHubSpot(null, { raw: body(contactId), query: '?campaign=bdr-intro' });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toMatch(/nested deeper than 64 levels/);
    expect(await traces()).toEqual(before);
  });

  it('HubSpot: a workflow body nested exactly 64 levels deep is accepted', async () => {
    const before = await traces();
    const response = await h.postHubSpot(null, { raw: `{"hs_object_id":${contactId},"notes":${nestedArrays(63)}}`, query: '?campaign=bdr-intro' });
    expect(response.status).toBe(200);
    expect((await traces()).events).toBe(before.events + 1);
  });

  it.each([
    ['5,000 nested arrays', nestedArrays(5_000)],
    ['5,000 nested objects', nestedObjects(5_000)],
    ['an event whose data is nested 65 levels deep', `{"event_type":"avatar_video.success","event_data":{"video_id":"v1","extra":${nestedArrays(63)}}}`],
  ])('HeyGen: %s, correctly signed -> 400, nothing stored', async (_name, body) => {
    const before = await traces();
    const response = await fetch(`${h.env.publicUrl}/webhooks/heygen`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signCallback(h.secrets.heygenWebhookSecret, body) },
      body,
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toMatch(/nested deeper than 64 levels/);
    expect(await traces()).toEqual(before);
  });
});
