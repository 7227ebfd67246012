/** The sandbox's notes: create with inline associations, read, and a search that trails writes; both API versions. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { startHubSpotSandbox, type HubSpotSandbox } from '../../src/sandbox/hubspot/server.js';

const token = 'pat-notes';
const clock = new ManualClock();
let sb: HubSpotSandbox;
let contact: string;
let deal: string;

beforeAll(async () => {
  sb = await startHubSpotSandbox({ accessToken: token, clientSecret: 's', clock, searchPerSecond: 1000, searchLagMs: 2_000 });
  contact = sb.crm.create('contacts', { firstname: 'Ada' }).id;
  deal = sb.crm.create('deals', { dealname: 'Big' }).id;
});
afterAll(async () => {
  await sb.close();
});

async function post(path: string, body: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${sb.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}

const to = (id: string, typeId: number) => [{ to: { id }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: typeId }] }];

describe.each(['/crm/v3/objects', '/crm/objects/2026-03'])('notes under %s', (base) => {
  it('creates a note associated with a contact (202) or a deal (214), found by a body token once search catches up', async () => {
    const marker = `reelay${base.length}abc`;
    const created = await post(`${base}/notes`, { properties: { hs_timestamp: '2026-03-01T00:00:00Z', hs_note_body: `<p>hello</p><p>${marker}</p>` }, associations: to(contact, 202) });
    expect(created.status).toBe(201);
    expect(sb.notes.on('contacts', contact).map((n) => n.id)).toContain(created.body.id);
    expect((await post(`${base}/notes`, { properties: { hs_timestamp: '1' }, associations: to(deal, 214) })).status).toBe(201);

    const query = { filterGroups: [{ filters: [{ propertyName: 'hs_note_body', operator: 'CONTAINS_TOKEN', value: marker }] }], properties: ['hs_note_body'], limit: 10 };
    expect((await post(`${base}/notes/search`, query)).body.total).toBe(0);
    clock.advance(2_000);
    const found = await post(`${base}/notes/search`, query);
    expect(found.body.results.map((r: any) => r.id)).toEqual([created.body.id]);
    expect(found.body.results[0].properties.hs_note_body).toContain(marker);
  });

  it('refuses a note without hs_timestamp, a wrong association type, or a record that does not exist, creating nothing', async () => {
    const before = sb.notes.all().length;
    expect((await post(`${base}/notes`, { properties: { hs_note_body: 'x' }, associations: to(contact, 202) })).status).toBe(400);
    expect((await post(`${base}/notes`, { properties: { hs_timestamp: '1' }, associations: to(contact, 214 + 1000) })).status).toBe(400);
    expect((await post(`${base}/notes`, { properties: { hs_timestamp: '1' }, associations: to('999999', 202) })).status).toBe(404);
    expect(sb.notes.all()).toHaveLength(before);
  });
});
