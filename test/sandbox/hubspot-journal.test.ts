/**
 * The sandbox's Webhooks Journal behaves as the spec and docs describe:
 * a form-encoded client-credentials grant (refusable), journal
 * subscriptions (an upsert with the six required fields), reads that answer
 * pointers, 204 when caught up and 404 for an offset no longer kept, and
 * pre-signed files that refuse an Authorization header and expire.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { startHubSpotSandbox, type HubSpotSandbox } from '../../src/sandbox/hubspot/server.js';

const clientSecret = 'journal-secret-0123';
let sandbox: HubSpotSandbox | undefined;
afterEach(async () => sandbox?.close());

async function start(clock = new ManualClock(Date.now())) {
  sandbox = await startHubSpotSandbox({ accessToken: 'pat-static', clientSecret, clock });
  return { s: sandbox, clock };
}

async function token(s: HubSpotSandbox, scope = 'developer.webhooks_journal.read developer.webhooks_journal.subscriptions.read developer.webhooks_journal.subscriptions.write') {
  const response = await fetch(`${s.url}/oauth/v1/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: s.clientId, client_secret: clientSecret, scope }).toString(),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const get = (s: HubSpotSandbox, path: string, bearer: string) => fetch(`${s.url}${path}`, { headers: { authorization: `Bearer ${bearer}` } });
const subscribe = (s: HubSpotSandbox, bearer: string, body: unknown) =>
  fetch(`${s.url}/webhooks-journal/subscriptions/2026-03`, { method: 'POST', headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('HubSpot sandbox: Webhooks Journal', () => {
  it('grants client-credentials tokens for the app only, and can refuse them', async () => {
    const { s } = await start();
    const granted = await token(s);
    expect(granted.status).toBe(200);
    expect(granted.body).toMatchObject({ token_use: 'client_credentials', expires_in: 1800, token_type: 'bearer' });
    const wrong = await fetch(`${s.url}/oauth/v1/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'someone-else', client_secret: clientSecret }).toString(),
    });
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({ status: 'BAD_CLIENT_ID' });
    s.journal.configureGrant({ refuse: true });
    expect((await token(s)).status).toBe(400);
    // The static app token does not open the journal; an expired client-credentials token neither.
    expect((await get(s, '/webhooks-journal/journal/2026-03/earliest', 'pat-static')).status).toBe(401);
  });

  it('subscriptions: the six fields are required; POST upserts per portal and object type; GET lists; DELETE removes', async () => {
    const { s } = await start();
    const bearer = (await token(s)).body.access_token as string;
    const missing = await subscribe(s, bearer, { subscriptionType: 'OBJECT', portalId: 62515, actions: ['UPDATE'], objectTypeId: '0-1' });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { message: string }).message).toMatch(/objectIds, properties/);
    const created = (await (await subscribe(s, bearer, { subscriptionType: 'OBJECT', portalId: 62515, actions: ['UPDATE'], objectTypeId: '0-1', objectIds: [], properties: ['lifecyclestage'] })).json()) as { id: number };
    const again = (await (await subscribe(s, bearer, { subscriptionType: 'OBJECT', portalId: 62515, actions: ['CREATE', 'UPDATE'], objectTypeId: '0-1', objectIds: [], properties: ['lifecyclestage'] })).json()) as { id: number; actions: string[] };
    expect(again.id).toBe(created.id);
    expect(again.actions).toEqual(['CREATE', 'UPDATE']);
    const list = (await (await get(s, '/webhooks-journal/subscriptions/2026-03', bearer)).json()) as { results: unknown[] };
    expect(list.results).toHaveLength(1);
    const deleted = await fetch(`${s.url}/webhooks-journal/subscriptions/2026-03/${created.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${bearer}` } });
    expect(deleted.status).toBe(204);
    expect(s.journal.subscriptions()).toEqual([]);
  });

  it('CRM changes matching a subscription fill the journal; reads answer pointers, 204 when caught up, 404 for an expired offset', async () => {
    const { s, clock } = await start();
    const bearer = (await token(s)).body.access_token as string;
    expect((await get(s, '/webhooks-journal/journal/2026-03/earliest', bearer)).status).toBe(204);
    await subscribe(s, bearer, { subscriptionType: 'OBJECT', portalId: 62515, actions: ['UPDATE'], objectTypeId: '0-1', objectIds: [], properties: ['lifecyclestage'] });
    const id = s.crm.create('contacts', { firstname: 'Ada', lifecyclestage: 'lead' }).id;
    s.crm.update('contacts', id, { firstname: 'Ada L.' }); // not a subscribed property: no event
    s.crm.update('contacts', id, { lifecyclestage: 'marketingqualifiedlead' });

    const first = (await (await get(s, '/webhooks-journal/journal/2026-03/earliest', bearer)).json()) as { currentOffset: string; url: string; expiresAt: string };
    expect(first.currentOffset).toMatch(/^[0-9a-f-]{36}$/);
    expect(Date.parse(first.expiresAt)).toBeGreaterThan(clock.now());
    const file = await fetch(first.url);
    expect(file.status).toBe(200);
    expect(await file.json()).toEqual({
      offset: first.currentOffset,
      publishedAt: expect.any(String),
      journalEvents: [{ portalId: 62515, occurredAt: expect.any(String), action: 'UPDATE', objectTypeId: '0-1', objectId: Number(id), propertyChanges: { lifecyclestage: 'marketingqualifiedlead' } }],
    });
    expect((await get(s, `/webhooks-journal/journal/2026-03/offset/${first.currentOffset}/next`, bearer)).status).toBe(204);
    const batch = (await (await get(s, '/webhooks-journal/journal/2026-03/batch/earliest/10', bearer)).json()) as { status: string; results: unknown[] };
    expect(batch).toMatchObject({ status: 'COMPLETE', results: [expect.objectContaining({ currentOffset: first.currentOffset })] });

    // The file refuses a second credential, and expires.
    expect((await fetch(first.url, { headers: { authorization: `Bearer ${bearer}` } })).status).toBe(400);
    expect(s.journal.counters().fileDownloadsWithAuthorization).toBe(1);
    clock.advance(s.journal.settings().fileTtlMs + 1);
    expect((await fetch(first.url)).status).toBe(403);

    // Past the retention the offset is gone.
    clock.advance(s.journal.settings().retentionMs);
    expect((await get(s, '/webhooks-journal/journal/2026-03/earliest', bearer)).status).toBe(401); // the token expired too
    const fresh = (await token(s)).body.access_token as string;
    expect((await get(s, `/webhooks-journal/journal/2026-03/offset/${first.currentOffset}/next`, fresh)).status).toBe(404);
    expect((await get(s, '/webhooks-journal/journal/2026-03/earliest', fresh)).status).toBe(204);
  });

  it('/_sandbox/journal shows the journal and sets its faults over HTTP', async () => {
    const { s } = await start();
    const patched = await fetch(`${s.url}/_sandbox/journal`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ settings: { failNext: 2 }, grant: { refuse: true } }) });
    expect(patched.status).toBe(200);
    expect((await token(s)).status).toBe(400);
    const bad = await fetch(`${s.url}/_sandbox/journal`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ settings: { nope: 1 } }) });
    expect(bad.status).toBe(400);
    const view = (await (await fetch(`${s.url}/_sandbox/journal`)).json()) as { settings: { failNext: number }; grant: { refuse: boolean }; entries: unknown[] };
    expect(view).toMatchObject({ settings: { failNext: 2 }, grant: { refuse: true }, entries: [] });
  });
});
