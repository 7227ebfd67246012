import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { startHubSpotSandbox, type HubSpotSandbox } from '../../src/sandbox/hubspot/server.js';

const token = 'pat-search';
const clock = new ManualClock();
let sb: HubSpotSandbox;
const ids: Record<string, string> = {};

beforeAll(async () => {
  sb = await startHubSpotSandbox({ accessToken: token, clientSecret: 's', clock, searchPerSecond: 1000 });
  const people = [
    { key: 'ann', firstname: 'Ann', email: 'ann@acme.com', lifecyclestage: 'lead', contract_end_date: '2026-02-01', jobtitle: 'VP of Sales' },
    { key: 'bob', firstname: 'Bob', email: 'bob@globex.com', lifecyclestage: 'marketingqualifiedlead', contract_end_date: '2026-03-15', jobtitle: 'CTO' },
    { key: 'cat', firstname: 'Cat', email: 'cat@acme.com', lifecyclestage: 'customer', contract_end_date: '2026-06-30' },
    { key: 'dan', firstname: 'Dan', email: 'dan@initech.io', lifecyclestage: 'marketingqualifiedlead' },
  ];
  for (const { key, ...properties } of people) ids[key] = sb.crm.create('contacts', properties).id;
});
afterAll(async () => {
  await sb.close();
});

async function search(body: unknown, type = 'contacts'): Promise<{ status: number; body: any }> {
  const res = await fetch(`${sb.url}/crm/v3/objects/${type}/search`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

async function names(filters: unknown[], extra: Record<string, unknown> = {}): Promise<string[]> {
  const res = await search({ filterGroups: [{ filters }], properties: ['firstname'], limit: 100, ...extra });
  expect(res.status).toBe(200);
  return res.body.results.map((r: any) => r.properties.firstname).sort();
}

const feb15 = Date.UTC(2026, 1, 15);

describe('search operators', () => {
  it.each([
    ['EQ', [{ propertyName: 'lifecyclestage', operator: 'EQ', value: 'marketingqualifiedlead' }], ['Bob', 'Dan']],
    ['EQ is case-insensitive on text', [{ propertyName: 'firstname', operator: 'EQ', value: 'ann' }], ['Ann']],
    ['NEQ (records without the value included)', [{ propertyName: 'lifecyclestage', operator: 'NEQ', value: 'marketingqualifiedlead' }], ['Ann', 'Cat']],
    ['LT on a date with epoch ms', [{ propertyName: 'contract_end_date', operator: 'LT', value: feb15 }], ['Ann']],
    ['LTE', [{ propertyName: 'contract_end_date', operator: 'LTE', value: '2026-03-15' }], ['Ann', 'Bob']],
    ['GT', [{ propertyName: 'contract_end_date', operator: 'GT', value: feb15 }], ['Bob', 'Cat']],
    ['GTE', [{ propertyName: 'contract_end_date', operator: 'GTE', value: Date.UTC(2026, 5, 30) }], ['Cat']],
    ['BETWEEN (inclusive)', [{ propertyName: 'contract_end_date', operator: 'BETWEEN', value: '2026-02-01', highValue: Date.UTC(2026, 2, 15) }], ['Ann', 'Bob']],
    ['IN', [{ propertyName: 'lifecyclestage', operator: 'IN', values: ['lead', 'customer'] }], ['Ann', 'Cat']],
    ['NOT_IN', [{ propertyName: 'lifecyclestage', operator: 'NOT_IN', values: ['lead', 'customer'] }], ['Bob', 'Dan']],
    ['HAS_PROPERTY', [{ propertyName: 'jobtitle', operator: 'HAS_PROPERTY' }], ['Ann', 'Bob']],
    ['NOT_HAS_PROPERTY', [{ propertyName: 'contract_end_date', operator: 'NOT_HAS_PROPERTY' }], ['Dan']],
    ['CONTAINS_TOKEN (word)', [{ propertyName: 'jobtitle', operator: 'CONTAINS_TOKEN', value: 'sales' }], ['Ann']],
    ['CONTAINS_TOKEN (wildcard)', [{ propertyName: 'email', operator: 'CONTAINS_TOKEN', value: '*@acme.com' }], ['Ann', 'Cat']],
    ['AND within a group', [{ propertyName: 'email', operator: 'CONTAINS_TOKEN', value: '*@acme.com' }, { propertyName: 'lifecyclestage', operator: 'EQ', value: 'lead' }], ['Ann']],
  ])('%s', async (_name, filters, expected) => {
    expect(await names(filters)).toEqual(expected);
  });

  it('ORs filter groups and returns every record with no filters', async () => {
    const res = await search({
      filterGroups: [
        { filters: [{ propertyName: 'firstname', operator: 'EQ', value: 'Ann' }] },
        { filters: [{ propertyName: 'firstname', operator: 'EQ', value: 'Dan' }] },
      ],
      properties: ['firstname'],
    });
    expect(res.body.results.map((r: any) => r.properties.firstname).sort()).toEqual(['Ann', 'Dan']);
    expect((await search({})).body.total).toBe(4);
  });

  it('sorts, projects the requested properties and counts the total', async () => {
    const res = await search({ sorts: [{ propertyName: 'contract_end_date', direction: 'DESCENDING' }], properties: ['firstname', 'contract_end_date'], limit: 10 });
    expect(res.body.total).toBe(4);
    expect(res.body.results.map((r: any) => r.properties.firstname)).toEqual(['Cat', 'Bob', 'Ann', 'Dan']);
    expect(Object.keys(res.body.results[0].properties).sort()).toEqual(['contract_end_date', 'createdate', 'firstname', 'hs_object_id', 'lastmodifieddate']);
  });

  it('rejects unknown properties, missing operands and limits above 200', async () => {
    expect((await search({ filterGroups: [{ filters: [{ propertyName: 'nope', operator: 'EQ', value: 'x' }] }] })).status).toBe(400);
    expect((await search({ filterGroups: [{ filters: [{ propertyName: 'firstname', operator: 'BETWEEN', value: 'a' }] }] })).status).toBe(400);
    expect((await search({ filterGroups: [{ filters: [{ propertyName: 'firstname', operator: 'LIKE', value: 'a' }] }] })).status).toBe(400);
    const tooBig = await search({ limit: 201 });
    expect(tooBig.status).toBe(400);
    expect(tooBig.body.category).toBe('VALIDATION_ERROR');
    expect((await search({ limit: 200 })).status).toBe(200);
  });
});

describe('paging', () => {
  it('pages with after until there is no next cursor', async () => {
    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const res = await search({ limit: 3, properties: ['firstname'], ...(after ? { after } : {}) });
      seen.push(...res.body.results.map((r: any) => r.id));
      after = res.body.paging?.next.after;
      pages++;
    } while (after !== undefined);
    expect(pages).toBe(2);
    expect(seen).toEqual([ids.ann, ids.bob, ids.cat, ids.dan]);
  });

  it('reaches at most 10,000 results: after beyond them is a 400', async () => {
    const local = await startHubSpotSandbox({ accessToken: token, clientSecret: 's', clock, searchPerSecond: 1000 });
    try {
      local.crm.createMany('contacts', Array.from({ length: 10_050 }, (_, i) => ({ properties: { firstname: `P${i}` } })));
      const at = async (body: unknown) => {
        const res = await fetch(`${local.url}/crm/v3/objects/contacts/search`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        return { status: res.status, body: (await res.json()) as any };
      };
      const last = await at({ limit: 200, after: '9900' });
      expect(last.status).toBe(200);
      expect(last.body.total).toBe(10_050);
      expect(last.body.results).toHaveLength(100);
      expect(last.body.paging).toBeUndefined();
      const beyond = await at({ limit: 10, after: '10000' });
      expect(beyond.status).toBe(400);
    } finally {
      await local.close();
    }
  });
});

describe('index lag', () => {
  it('shows a write to search only after searchLagMs, while a read by id sees it at once', async () => {
    const lagClock = new ManualClock();
    const lagged = await startHubSpotSandbox({ accessToken: token, clientSecret: 's', clock: lagClock, searchLagMs: 3000, searchPerSecond: 1000 });
    try {
      const contact = lagged.crm.create('contacts', { firstname: 'Eve', lifecyclestage: 'lead' });
      const query = async () => {
        const res = await fetch(`${lagged.url}/crm/v3/objects/contacts/search`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ filterGroups: [{ filters: [{ propertyName: 'lifecyclestage', operator: 'EQ', value: 'customer' }] }], properties: ['lifecyclestage'] }),
        });
        return ((await res.json()) as any).total as number;
      };
      lagClock.advance(5000);
      lagged.crm.update('contacts', contact.id, { lifecyclestage: 'customer' });
      expect(await query()).toBe(0);
      const read = await fetch(`${lagged.url}/crm/v3/objects/contacts/${contact.id}?properties=lifecyclestage`, { headers: { authorization: `Bearer ${token}` } });
      expect(((await read.json()) as any).properties.lifecyclestage).toBe('customer');
      lagClock.advance(2999);
      expect(await query()).toBe(0);
      lagClock.advance(1);
      expect(await query()).toBe(1);
    } finally {
      await lagged.close();
    }
  });
});
