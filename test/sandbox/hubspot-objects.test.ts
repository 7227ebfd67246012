import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { startHubSpotSandbox, type HubSpotSandbox } from '../../src/sandbox/hubspot/server.js';

const token = 'pat-test-token';
let sandbox: HubSpotSandbox;
let clock: ManualClock;

interface Answer {
  status: number;
  headers: Headers;
  body: any;
}

async function api(method: string, path: string, body?: unknown, auth: string | null = `Bearer ${token}`): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (auth !== null) headers.authorization = auth;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${sandbox.url}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text === '' ? undefined : JSON.parse(text) };
}

beforeEach(async () => {
  clock = new ManualClock();
  sandbox = await startHubSpotSandbox({ accessToken: token, clientSecret: 'secret', seed: 7, clock });
});
afterEach(async () => {
  await sandbox.close();
});

describe('authentication', () => {
  it('answers 401 with the HubSpot error body for a wrong or missing token', async () => {
    const contact = sandbox.crm.create('contacts', { firstname: 'Ann' });
    for (const auth of ['Bearer wrong', null, token]) {
      const res = await api('GET', `/crm/v3/objects/contacts/${contact.id}`, undefined, auth);
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ status: 'error', category: 'INVALID_AUTHENTICATION' });
      expect(res.body.message).toMatch(/^Authentication credentials not found/);
      expect(res.body.correlationId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
  });
});

describe('reading one record', () => {
  it('returns the requested properties plus the system ones; unknown names are absent, empty ones null', async () => {
    const contact = sandbox.crm.create('contacts', { firstname: 'Ann', lastname: 'Lee', company: 'Acme' });
    const res = await api('GET', `/crm/v3/objects/contacts/${contact.id}?properties=firstname,jobtitle,not_a_property`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: contact.id, archived: false });
    expect(Object.keys(res.body.properties).sort()).toEqual(['createdate', 'firstname', 'hs_object_id', 'jobtitle', 'lastmodifieddate']);
    expect(res.body.properties).toMatchObject({ firstname: 'Ann', jobtitle: null, hs_object_id: contact.id });
    expect(res.headers.get('x-hubspot-ratelimit-max')).toBe('100');
  });

  it('accepts repeated properties parameters and falls back to default properties without any', async () => {
    const contact = sandbox.crm.create('contacts', { firstname: 'Ann', email: 'ann@acme.com', company: 'Acme' });
    const repeated = await api('GET', `/crm/v3/objects/contacts/${contact.id}?properties=company&properties=email`);
    expect(repeated.body.properties).toMatchObject({ company: 'Acme', email: 'ann@acme.com' });
    const plain = await api('GET', `/crm/v3/objects/contacts/${contact.id}`);
    expect(Object.keys(plain.body.properties).sort()).toEqual(['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname']);
  });

  it('uses hs_lastmodifieddate on deals, as HubSpot does', async () => {
    const deal = sandbox.crm.create('deals', { dealname: 'Big one', dealstage: 'closedwon' });
    const res = await api('GET', `/crm/v3/objects/deals/${deal.id}?properties=dealname`);
    expect(res.body.properties).toHaveProperty('hs_lastmodifieddate');
    expect(res.body.properties).not.toHaveProperty('lastmodifieddate');
  });

  it('answers 404 OBJECT_NOT_FOUND and 400 for an unknown object type', async () => {
    const missing = await api('GET', '/crm/v3/objects/contacts/999999');
    expect(missing.status).toBe(404);
    expect(missing.body.category).toBe('OBJECT_NOT_FOUND');
    const badType = await api('GET', '/crm/v3/objects/widgets/1');
    expect(badType.status).toBe(400);
    expect(badType.body.message).toBe('Unable to infer object type from: widgets');
  });
});

describe('reading one property in process (benchmarks polling many records)', () => {
  it('gives the value and the last change as a copy of the record would, and nothing for an unknown record', () => {
    const contact = sandbox.crm.create('contacts', { firstname: 'Ann' });
    clock.advance(5_000);
    sandbox.crm.update('contacts', contact.id, { jobtitle: 'CTO' });
    const copy = sandbox.crm.get('contacts', contact.id);
    expect(sandbox.crm.property('contacts', contact.id, 'jobtitle')).toEqual({ value: copy?.properties.jobtitle, updatedAt: copy?.updatedAt });
    expect(sandbox.crm.property('contacts', contact.id, 'lifecyclestage')).toEqual({ value: undefined, updatedAt: copy?.updatedAt });
    expect(sandbox.crm.property('contacts', '999999999', 'jobtitle')).toBeUndefined();
  });
});

describe('batch read', () => {
  it('refuses more than 100 inputs', async () => {
    const inputs = Array.from({ length: 101 }, (_, i) => ({ id: String(i + 1) }));
    const res = await api('POST', '/crm/v3/objects/contacts/batch/read', { inputs, properties: ['firstname'] });
    expect(res.status).toBe(400);
    expect(res.body.category).toBe('VALIDATION_ERROR');
  });

  it('answers 200 COMPLETE when every id exists and 207 naming the missing ids otherwise', async () => {
    const [a, b] = sandbox.crm.createMany('contacts', [{ properties: { firstname: 'A' } }, { properties: { firstname: 'B' } }]);
    const complete = await api('POST', '/crm/v3/objects/contacts/batch/read', { inputs: [{ id: a?.id }, { id: b?.id }], properties: ['firstname'] });
    expect(complete.status).toBe(200);
    expect(complete.body.status).toBe('COMPLETE');
    expect(complete.body.results.map((r: any) => r.properties.firstname).sort()).toEqual(['A', 'B']);
    expect(complete.body).toHaveProperty('startedAt');
    expect(complete.body).not.toHaveProperty('errors');

    const partial = await api('POST', '/crm/v3/objects/contacts/batch/read', { inputs: [{ id: a?.id }, { id: '424242' }], properties: ['firstname'] });
    expect(partial.status).toBe(207);
    expect(partial.body.results).toHaveLength(1);
    expect(partial.body.numErrors).toBe(1);
    expect(partial.body.errors[0]).toMatchObject({ status: 'error', category: 'OBJECT_NOT_FOUND', context: { ids: ['424242'] } });
  });
});

describe('writes', () => {
  it('batch update answers 207: valid rows applied, unknown ids, undefined properties and bad options fail per row', async () => {
    const [good, other, third] = sandbox.crm.createMany('contacts', [
      { properties: { firstname: 'Good' } },
      { properties: { firstname: 'Other' } },
      { properties: { firstname: 'Third' } },
    ]);
    clock.advance(1000);
    const res = await api('POST', '/crm/v3/objects/contacts/batch/update', {
      inputs: [
        { id: good!.id, properties: { jobtitle: 'CTO' } },
        { id: '777777', properties: { jobtitle: 'Ghost' } },
        { id: other!.id, properties: { no_such_property: 'x' } },
        { id: third!.id, properties: { lifecyclestage: 'hot' } },
      ],
    });
    expect(res.status).toBe(207);
    expect(res.body.numErrors).toBe(3);
    expect(res.body.results.map((r: any) => r.id)).toEqual([good!.id]);
    const byCategory = (c: string) => res.body.errors.filter((e: any) => e.category === c);
    expect(byCategory('OBJECT_NOT_FOUND')[0].context.ids).toEqual(['777777']);
    const invalid = byCategory('VALIDATION_ERROR');
    expect(invalid.map((e: any) => e.context.ids[0]).sort()).toEqual([other!.id, third!.id].sort());
    expect(invalid.find((e: any) => e.context.ids[0] === other!.id).errors[0]).toMatchObject({
      code: 'PROPERTY_DOESNT_EXIST',
      context: { propertyName: ['no_such_property'] },
    });
    expect(invalid.find((e: any) => e.context.ids[0] === third!.id).errors[0].code).toBe('INVALID_OPTION');

    expect(sandbox.crm.get('contacts', good!.id)?.properties.jobtitle).toBe('CTO');
    expect(sandbox.crm.get('contacts', third!.id)?.properties.lifecyclestage).toBeUndefined();
    expect(sandbox.stats().multiStatus).toBe(1);
    expect(sandbox.stats().writes.byObject[`contacts/${good!.id}`]).toBe(2);
    expect(sandbox.crm.get('contacts', good!.id)!.updatedAt).toBe(clock.now());
    expect(sandbox.crm.get('contacts', other!.id)!.updatedAt).toBe(clock.now() - 1000);
  });

  it('batch update of all-valid rows answers 200 COMPLETE and refuses duplicate ids and more than 100 inputs', async () => {
    const rows = sandbox.crm.createMany('contacts', [{ properties: { firstname: 'A' } }, { properties: { firstname: 'B' } }]);
    const ok = await api('POST', '/crm/v3/objects/contacts/batch/update', { inputs: rows.map((r) => ({ id: r.id, properties: { hs_lead_status: 'OPEN' } })) });
    expect(ok.status).toBe(200);
    expect(ok.body.status).toBe('COMPLETE');
    expect(ok.body.results).toHaveLength(2);

    const dup = await api('POST', '/crm/v3/objects/contacts/batch/update', { inputs: [rows[0], rows[0]].map((r) => ({ id: r!.id, properties: { jobtitle: 'x' } })) });
    expect(dup.status).toBe(400);
    expect(dup.body.message).toMatch(/Duplicate IDs/);

    const tooMany = await api('POST', '/crm/v3/objects/contacts/batch/update', {
      inputs: Array.from({ length: 101 }, (_, i) => ({ id: String(i), properties: {} })),
    });
    expect(tooMany.status).toBe(400);
  });

  it('PATCH with an invalid enumeration option answers 400 INVALID_OPTION in HubSpot words', async () => {
    const contact = sandbox.crm.create('contacts', { firstname: 'Ann', lifecyclestage: 'lead' });
    const res = await api('PATCH', `/crm/v3/objects/contacts/${contact.id}`, { properties: { lifecyclestage: 'Hot Lead' } });
    expect(res.status).toBe(400);
    expect(res.body.category).toBe('VALIDATION_ERROR');
    expect(res.body.errors[0].code).toBe('INVALID_OPTION');
    expect(res.body.message).toContain('Property values were not valid');
    expect(res.body.message).toContain('was not one of the allowed options: [subscriber, lead, marketingqualifiedlead');
    expect(sandbox.crm.get('contacts', contact.id)?.properties.lifecyclestage).toBe('lead');
  });

  it('PATCH of an undefined property answers 400 PROPERTY_DOESNT_EXIST; a valid PATCH moves lastmodifieddate', async () => {
    const contact = sandbox.crm.create('contacts', { firstname: 'Ann' });
    const bad = await api('PATCH', `/crm/v3/objects/contacts/${contact.id}`, { properties: { heygen_video_url: 'https://x' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0]).toMatchObject({ code: 'PROPERTY_DOESNT_EXIST', context: { propertyName: ['heygen_video_url'] } });

    clock.advance(60_000);
    const ok = await api('PATCH', `/crm/v3/objects/contacts/${contact.id}`, { properties: { jobtitle: 'CTO', contract_end_date: 1767225600000 } });
    expect(ok.status).toBe(200);
    expect(ok.body.properties).toMatchObject({ jobtitle: 'CTO', contract_end_date: '2026-01-01' });
    expect(ok.body.properties.lastmodifieddate).toBe(new Date(clock.now()).toISOString());
    expect(ok.body.properties.lastmodifieddate).not.toBe(contact.properties.lastmodifieddate);

    const notMidnight = await api('PATCH', `/crm/v3/objects/contacts/${contact.id}`, { properties: { contract_end_date: 1767225600001 } });
    expect(notMidnight.body.errors[0].code).toBe('INVALID_DATE');
    const readOnly = await api('PATCH', `/crm/v3/objects/contacts/${contact.id}`, { properties: { hs_object_id: '5' } });
    expect(readOnly.body.errors[0].code).toBe('READ_ONLY_VALUE');
    const missing = await api('PATCH', '/crm/v3/objects/contacts/31337', { properties: { jobtitle: 'x' } });
    expect(missing.status).toBe(404);
  });

  it('creates one record and batches of records; a batch with one invalid row creates nothing', async () => {
    const one = await api('POST', '/crm/v3/objects/deals', { properties: { dealname: 'New', amount: 1200, dealstage: 'qualifiedtobuy' } });
    expect(one.status).toBe(201);
    expect(one.body.properties).toMatchObject({ dealname: 'New', amount: '1200', hs_object_id: one.body.id });

    const batch = await api('POST', '/crm/v3/objects/companies/batch/create', {
      inputs: [{ properties: { name: 'Acme', domain: 'acme.com' } }, { properties: { name: 'Globex', industry: 'COMPUTER_SOFTWARE' } }],
    });
    expect(batch.status).toBe(201);
    expect(batch.body.results).toHaveLength(2);

    const invalid = await api('POST', '/crm/v3/objects/companies/batch/create', {
      inputs: [{ properties: { name: 'Fine' } }, { properties: { industry: 'Software' } }],
    });
    expect(invalid.status).toBe(400);
    expect(sandbox.crm.count('companies')).toBe(2);
  });

  it('lists records page by page', async () => {
    sandbox.crm.createMany('contacts', Array.from({ length: 25 }, (_, i) => ({ properties: { firstname: `C${i}` } })));
    const seen: string[] = [];
    let after: string | undefined;
    do {
      const page = await api('GET', `/crm/v3/objects/contacts?limit=10&properties=firstname${after ? `&after=${after}` : ''}`);
      seen.push(...page.body.results.map((r: any) => r.properties.firstname));
      after = page.body.paging?.next.after;
    } while (after !== undefined);
    expect(seen).toHaveLength(25);
    expect(new Set(seen).size).toBe(25);
  });
});

describe('request hygiene', () => {
  it('answers malformed JSON and unknown routes in the HubSpot error shape', async () => {
    const res = await fetch(`${sandbox.url}/crm/v3/objects/contacts/batch/read`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{"inputs": [',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
    const badTokenAndBody = await fetch(`${sandbox.url}/crm/v3/objects/contacts/batch/read`, {
      method: 'POST',
      headers: { authorization: 'Bearer nope', 'content-type': 'application/json' },
      body: '{"inputs": [',
    });
    expect(badTokenAndBody.status).toBe(401);
    const unknown = await api('GET', '/crm/v3/nothing/here');
    expect(unknown.status).toBe(404);
    expect(unknown.body.status).toBe('error');
  });
});
