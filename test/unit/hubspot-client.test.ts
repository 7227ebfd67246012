import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { ProviderError } from '../../src/core/errors.js';
import { createHubSpotClient } from '../../src/hubspot/client.js';
import { hubspotPathsFor } from '../../src/hubspot/paths.js';
import type { HubSpotClient } from '../../src/hubspot/types.js';
import type { ResponseInfo } from '../../src/http-client/types.js';
import { startStubServer } from '../helpers/stub-server.js';
import type { StubServer } from '../helpers/stub-server.js';

const TOKEN = 'pat-na1-11111111-2222-3333-4444-555555555555';
const NOW = Date.UTC(2026, 2, 10, 15, 30, 0);

let stub: StubServer;
let clock: ManualClock;
let seen: ResponseInfo[];
let hubspot: HubSpotClient;

function client(timeoutMs = 2000): HubSpotClient {
  return createHubSpotClient({
    baseUrl: stub.url,
    accessToken: TOKEN,
    timeoutMs,
    clock,
    onResponse: (info) => seen.push(info),
  });
}

async function failure(pending: Promise<unknown>): Promise<ProviderError> {
  const err = await pending.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProviderError);
  const providerError = err as ProviderError;
  expect(providerError.message).not.toContain(TOKEN);
  expect(providerError.describe()).not.toContain(TOKEN);
  return providerError;
}

const contact = (id: string, properties: Record<string, string | null>) => ({
  id,
  properties,
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-03-01T00:00:00Z',
  archived: false,
});

beforeEach(async () => {
  stub = await startStubServer();
  clock = new ManualClock(NOW);
  seen = [];
  hubspot = client();
});

afterEach(async () => {
  await stub.close();
});

describe('reads', () => {
  it('reads one record with a bearer token and the asked properties', async () => {
    stub.enqueue('GET', '/crm/v3/objects/contacts/42', { body: contact('42', { firstname: 'Ada', company: null }) });

    const record = await hubspot.getObject('contacts', '42', ['firstname', 'company']);

    expect(record).toEqual({ id: '42', properties: { firstname: 'Ada', company: null }, updatedAt: '2026-03-01T00:00:00Z' });
    const [req] = stub.requests;
    expect(req?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(req?.query.get('properties')).toBe('firstname,company');
  });

  it('answers null for a record HubSpot does not have', async () => {
    stub.enqueue('GET', '/crm/v3/objects/contacts/9', {
      status: 404,
      body: { status: 'error', message: 'resource not found', category: 'OBJECT_NOT_FOUND' },
    });
    expect(await hubspot.getObject('contacts', '9', ['firstname'])).toBeNull();
  });

  it('reports the ids a 207 batch read could not find', async () => {
    stub.enqueue('POST', '/crm/v3/objects/contacts/batch/read', {
      status: 207,
      body: {
        status: 'COMPLETE',
        results: [contact('1', { firstname: 'A' })],
        numErrors: 1,
        errors: [
          {
            status: 'error',
            category: 'OBJECT_NOT_FOUND',
            message: 'Could not get some CONTACT objects, they may be deleted or not exist.',
            context: { ids: ['2', '3'] },
          },
        ],
      },
    });

    const result = await hubspot.batchRead('contacts', ['1', '2', '3', '1'], ['firstname']);

    expect(result.records.map((r) => r.id)).toEqual(['1']);
    expect(result.missing).toEqual(['2', '3']);
    expect(stub.requests[0]?.body).toEqual({ inputs: [{ id: '1' }, { id: '2' }, { id: '3' }], properties: ['firstname'] });
  });

  it('refuses more than 100 ids in one batch without calling HubSpot', async () => {
    const ids = Array.from({ length: 101 }, (_, i) => String(i));
    await expect(hubspot.batchRead('contacts', ids, [])).rejects.toThrow(/at most 100/);
    expect(stub.requests).toHaveLength(0);
  });

  it('searches and hands back the next cursor', async () => {
    stub.enqueue('POST', '/crm/v3/objects/contacts/search', {
      body: { total: 3, results: [contact('7', { email: 'a@b.c' })], paging: { next: { after: '7' } } },
    });
    const request = {
      filterGroups: [{ filters: [{ propertyName: 'email', operator: 'HAS_PROPERTY' as const }] }],
      properties: ['email'],
      limit: 1,
    };

    const page = await hubspot.search('contacts', request);

    expect(page).toEqual({ total: 3, results: [{ id: '7', properties: { email: 'a@b.c' }, updatedAt: '2026-03-01T00:00:00Z' }], nextAfter: '7' });
    expect(stub.requests[0]?.body).toEqual(request);
  });
});

describe('associations', () => {
  it('follows paging to collect every association', async () => {
    const path = '/crm/v4/objects/deals/5/associations/contacts';
    stub.enqueue(
      'GET',
      path,
      {
        body: {
          results: [{ toObjectId: 11, associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 3, label: null }] }],
          paging: { next: { after: 'c1' } },
        },
      },
      {
        body: {
          results: [{ toObjectId: 12, associationTypes: [{ category: 'USER_DEFINED', typeId: 9, label: 'Decision maker' }] }],
        },
      },
    );

    const associations = await hubspot.getAssociations('deals', '5', 'contacts');

    expect(associations).toEqual([
      { toObjectId: '11', labels: [], typeIds: [3] },
      { toObjectId: '12', labels: ['Decision maker'], typeIds: [9] },
    ]);
    expect(stub.requestsTo('GET', path).map((r) => r.query.get('after'))).toEqual([null, 'c1']);
  });

  it('maps every asked id in a batch, empty when HubSpot finds none', async () => {
    stub.enqueue('POST', '/crm/v4/associations/deals/contacts/batch/read', {
      status: 207,
      body: {
        status: 'COMPLETE',
        results: [{ from: { id: '5' }, to: [{ toObjectId: 11, associationTypes: [{ typeId: 3, label: null }] }] }],
        errors: [{ status: 'error', category: 'OBJECT_NOT_FOUND', message: 'No contact is associated with deal 6.', context: { fromObjectId: ['6'] } }],
      },
    });

    const byDeal = await hubspot.batchAssociations('deals', 'contacts', ['5', '6']);

    expect(byDeal.get('5')).toEqual([{ toObjectId: '11', labels: [], typeIds: [3] }]);
    expect(byDeal.get('6')).toEqual([]);
  });
});

describe('batch update', () => {
  it('returns the updated ids of a 200', async () => {
    stub.enqueue('POST', '/crm/v3/objects/contacts/batch/update', {
      body: { status: 'COMPLETE', results: [contact('1', {}), contact('2', {})] },
    });

    const result = await hubspot.batchUpdate('contacts', [
      { id: '1', properties: { heygen_render_status: 'PENDING' } },
      { id: '2', properties: { heygen_render_status: 'PENDING' } },
    ]);

    expect(result).toEqual({ updated: ['1', '2'], failed: [] });
    expect(stub.requests[0]?.body).toEqual({
      inputs: [
        { id: '1', properties: { heygen_render_status: 'PENDING' } },
        { id: '2', properties: { heygen_render_status: 'PENDING' } },
      ],
    });
  });

  it('splits a 207 per row: by context, by the message, by elimination', async () => {
    stub.enqueue('POST', '/crm/v3/objects/contacts/batch/update', {
      status: 207,
      body: {
        status: 'COMPLETE',
        results: [contact('1', {})],
        numErrors: 3,
        errors: [
          { status: 'error', category: 'OBJECT_NOT_FOUND', message: 'Could not get some CONTACT objects', context: { ids: ['2'] } },
          { status: 'error', category: 'LOCKED', message: 'Object 31 is locked by another update' },
          { status: 'error', category: 'VALIDATION_ERROR', message: 'Property values were not valid: INVALID_OPTION' },
        ],
      },
    });
    const inputs = ['1', '2', '31', '4'].map((id) => ({ id, properties: { heygen_render_status: 'COMPLETED' } }));

    const result = await hubspot.batchUpdate('contacts', inputs);

    expect(result.updated).toEqual(['1']);
    expect(result.failed).toEqual([
      { id: '2', category: 'OBJECT_NOT_FOUND', message: 'Could not get some CONTACT objects', failureClass: 'permanent' },
      { id: '31', category: 'LOCKED', message: 'Object 31 is locked by another update', failureClass: 'retryable' },
      { id: '4', category: 'VALIDATION_ERROR', message: 'Property values were not valid: INVALID_OPTION', failureClass: 'permanent' },
    ]);
  });

  it('leaves a row error unattributed when it cannot tell which row failed', async () => {
    stub.enqueue('POST', '/crm/v3/objects/contacts/batch/update', {
      status: 207,
      body: { status: 'COMPLETE', results: [], errors: [{ status: 'error', category: 'RATE_LIMIT', message: 'slow down' }] },
    });

    const result = await hubspot.batchUpdate('contacts', [
      { id: '1', properties: { a: 'x' } },
      { id: '2', properties: { a: 'y' } },
    ]);

    expect(result.failed).toEqual([{ id: null, category: 'RATE_LIMIT', message: 'slow down', failureClass: 'retryable' }]);
  });

  it('refuses duplicate ids, which HubSpot would reject as a whole', async () => {
    await expect(
      hubspot.batchUpdate('contacts', [
        { id: '1', properties: { a: 'x' } },
        { id: '1', properties: { a: 'y' } },
      ]),
    ).rejects.toThrow(/duplicate ids/);
    expect(stub.requests).toHaveLength(0);
  });
});

describe('properties', () => {
  it('reads, creates and patches properties and groups', async () => {
    const definition = {
      name: 'heygen_render_status',
      label: 'HeyGen render status',
      type: 'enumeration',
      fieldType: 'select',
      groupName: 'video_automation',
      options: [{ label: 'Pending', value: 'PENDING', displayOrder: 0, hidden: false }],
    };
    stub.enqueue('GET', '/crm/v3/properties/contacts/heygen_render_status', { status: 404, body: { status: 'error', message: 'not found', category: 'OBJECT_NOT_FOUND' } });
    stub.enqueue('GET', '/crm/v3/properties/contacts/groups/video_automation', { status: 404, body: { status: 'error', message: 'not found', category: 'OBJECT_NOT_FOUND' } });
    stub.enqueue('POST', '/crm/v3/properties/contacts/groups', { status: 201, body: { name: 'video_automation', label: 'Video Automation', displayOrder: -1, archived: false } });
    stub.enqueue('POST', '/crm/v3/properties/contacts', { status: 201, body: { ...definition, hidden: false, createdAt: '2026-01-01T00:00:00Z' } });
    stub.enqueue('PATCH', '/crm/v3/properties/contacts/heygen_render_status', { body: { ...definition, label: 'Render status' } });
    stub.enqueue('GET', '/crm/v3/properties/contacts', { body: { results: [definition] } });

    expect(await hubspot.getProperty('contacts', 'heygen_render_status')).toBeNull();
    expect(await hubspot.getPropertyGroup('contacts', 'video_automation')).toBeNull();
    expect(await hubspot.createPropertyGroup('contacts', { name: 'video_automation', label: 'Video Automation' })).toEqual({
      name: 'video_automation',
      label: 'Video Automation',
      displayOrder: -1,
    });
    expect(await hubspot.createProperty('contacts', definition)).toMatchObject(definition);
    expect((await hubspot.updateProperty('contacts', 'heygen_render_status', { label: 'Render status' })).label).toBe('Render status');
    expect(await hubspot.listProperties('contacts')).toEqual([definition]);

    expect(stub.requestsTo('POST', '/crm/v3/properties/contacts')[0]?.body).toEqual(definition);
    expect(stub.requestsTo('PATCH', '/crm/v3/properties/contacts/heygen_render_status')[0]?.body).toEqual({ label: 'Render status' });
  });
});

describe('rate limits', () => {
  const rateHeaders = {
    'x-hubspot-ratelimit-max': '100',
    'x-hubspot-ratelimit-remaining': '97',
    'x-hubspot-ratelimit-interval-milliseconds': '10000',
    'x-hubspot-ratelimit-daily': '250000',
    'x-hubspot-ratelimit-daily-remaining': '249000',
  };

  it('probes cheaply and reads the rate-limit headers', async () => {
    stub.enqueue('GET', '/crm/v3/objects/contacts', { body: { results: [] }, headers: rateHeaders });

    const limits = await hubspot.probe('contacts');

    expect(limits).toEqual({ max: 100, remaining: 97, intervalMs: 10000, daily: 250000, dailyRemaining: 249000 });
    expect(stub.requests[0]?.query.get('limit')).toBe('1');
  });

  it('tells onResponse about every answer, errors included', async () => {
    stub.enqueue('GET', '/crm/v3/objects/contacts/1', { body: contact('1', {}), headers: rateHeaders });
    stub.enqueue('GET', '/crm/v3/objects/contacts/2', {
      status: 500,
      body: { status: 'error', message: 'boom', category: 'INTERNAL_ERROR' },
      headers: { ...rateHeaders, 'x-hubspot-ratelimit-remaining': '96' },
    });

    await hubspot.getObject('contacts', '1', []);
    await failure(hubspot.getObject('contacts', '2', []));

    expect(seen.map((s) => [s.operation, s.status, s.headers.get('x-hubspot-ratelimit-remaining')])).toEqual([
      ['crm.getObject', 200, '97'],
      ['crm.getObject', 500, '96'],
    ]);
  });

  it('reads policyName from a 429 and waits a second for the rolling window', async () => {
    stub.enqueue('POST', '/crm/v3/objects/contacts/batch/update', {
      status: 429,
      body: {
        status: 'error',
        message: 'You have reached your ten_secondly_rolling limit.',
        errorType: 'RATE_LIMIT',
        correlationId: 'c-1',
        policyName: 'TEN_SECONDLY_ROLLING',
      },
    });

    const err = await failure(hubspot.batchUpdate('contacts', [{ id: '1', properties: { a: 'b' } }]));

    expect(err).toMatchObject({ status: 429, code: 'RATE_LIMIT', policy: 'TEN_SECONDLY_ROLLING', failureClass: 'retryable', retryAfterMs: 1000 });
    expect(err.maybeApplied).toBe(false);
  });

  it('waits until the next UTC midnight after the daily limit', async () => {
    stub.enqueue('GET', '/crm/v3/objects/contacts/1', {
      status: 429,
      body: { status: 'error', message: 'daily limit', errorType: 'RATE_LIMIT', policyName: 'DAILY' },
    });
    const err = await failure(hubspot.getObject('contacts', '1', []));
    expect(err.retryAfterMs).toBe(Date.UTC(2026, 2, 11) - NOW);
  });

  it('prefers Retry-After, in seconds or as an HTTP date', async () => {
    const body = { status: 'error', message: 'slow', errorType: 'RATE_LIMIT', policyName: 'TEN_SECONDLY_ROLLING' };
    stub.enqueue(
      'GET',
      '/crm/v3/objects/contacts/1',
      { status: 429, body, headers: { 'retry-after': '7' } },
      { status: 429, body, headers: { 'retry-after': new Date(NOW + 30_000).toUTCString() } },
    );

    expect((await failure(hubspot.getObject('contacts', '1', []))).retryAfterMs).toBe(7000);
    expect((await failure(hubspot.getObject('contacts', '1', []))).retryAfterMs).toBe(30_000);
  });
});

describe('error classes', () => {
  const cases = [
    { status: 401, category: 'INVALID_AUTHENTICATION', failureClass: 'blocking' },
    { status: 403, category: 'MISSING_SCOPES', failureClass: 'blocking' },
    { status: 400, category: 'VALIDATION_ERROR', failureClass: 'permanent' },
    { status: 409, category: 'CONFLICT', failureClass: 'permanent' },
    { status: 423, category: 'LOCKED', failureClass: 'retryable' },
    { status: 500, category: 'INTERNAL_ERROR', failureClass: 'retryable' },
    { status: 503, category: 'SERVICE_UNAVAILABLE', failureClass: 'retryable' },
  ] as const;

  for (const c of cases) {
    it(`classifies ${c.status} ${c.category} as ${c.failureClass}`, async () => {
      stub.enqueue('PATCH', '/crm/v3/objects/contacts/1', {
        status: c.status,
        // A provider echoing the credential must not leak it into our messages.
        body: { status: 'error', message: `Rejected token ${TOKEN} for this call`, category: c.category, correlationId: 'x' },
      });

      const err = await failure(hubspot.updateObject('contacts', '1', { a: 'b' }));

      expect(err).toMatchObject({ provider: 'hubspot', operation: 'crm.updateObject', status: c.status, code: c.category, failureClass: c.failureClass });
      expect(err.message).toContain('[redacted]');
      expect(err.maybeApplied).toBe(c.status >= 500);
    });
  }

  it('reads a non-JSON error page as a message', async () => {
    stub.enqueue('GET', '/crm/v3/objects/contacts/1', { status: 502, raw: '<html>Bad gateway</html>', headers: { 'content-type': 'text/html' } });
    const err = await failure(hubspot.getObject('contacts', '1', []));
    expect(err).toMatchObject({ status: 502, code: 'http_502', failureClass: 'retryable', maybeApplied: false });
  });
});

describe('no answer', () => {
  it('times out a write as retryable and possibly applied', async () => {
    hubspot = client(150);
    stub.enqueue('PATCH', '/crm/v3/objects/contacts/1', { hang: true });

    const err = await failure(hubspot.updateObject('contacts', '1', { a: 'b' }));

    expect(err).toMatchObject({ code: 'timeout', failureClass: 'retryable', maybeApplied: true, status: undefined });
  });

  it('times out a read as retryable and not applied', async () => {
    hubspot = client(150);
    stub.enqueue('GET', '/crm/v3/objects/contacts/1', { hang: true });
    const err = await failure(hubspot.getObject('contacts', '1', []));
    expect(err).toMatchObject({ code: 'timeout', failureClass: 'retryable', maybeApplied: false });
  });

  it('treats a connection reset after sending as possibly applied', async () => {
    stub.enqueue('POST', '/crm/v3/objects/contacts/batch/update', { reset: true });
    const err = await failure(hubspot.batchUpdate('contacts', [{ id: '1', properties: { a: 'b' } }]));
    expect(err).toMatchObject({ code: 'network', failureClass: 'retryable', maybeApplied: true });
  });

  it('treats a refused connection as never applied', async () => {
    const url = stub.url;
    await stub.close();
    stub = await startStubServer();
    hubspot = createHubSpotClient({ baseUrl: url, accessToken: TOKEN, timeoutMs: 2000, clock });

    const err = await failure(hubspot.updateObject('contacts', '1', { a: 'b' }));

    expect(err).toMatchObject({ code: 'network', failureClass: 'retryable', maybeApplied: false });
    expect(err.message).toContain('ECONNREFUSED');
  });
});

describe('account details', () => {
  const details = {
    portalId: 62515,
    accountType: 'STANDARD',
    timeZone: 'US/Eastern',
    companyCurrency: 'USD',
    additionalCurrencies: [],
    utcOffset: '-05:00',
    utcOffsetMilliseconds: -18000000,
    uiDomain: 'app.hubspot.com',
    dataHostingLocation: 'na1',
  };

  it('reads the account through the path table, keeps the answer, and asks again after a failure', async () => {
    hubspot = createHubSpotClient({ baseUrl: stub.url, accessToken: TOKEN, timeoutMs: 2000, clock, paths: hubspotPathsFor('2026-03') });
    stub.enqueue('GET', '/account-info/2026-03/details', { status: 503, body: { status: 'error', message: 'down', category: 'INTERNAL_ERROR' } });
    stub.enqueue('GET', '/account-info/2026-03/details', { body: details });
    await expect(hubspot.accountDetails()).rejects.toBeInstanceOf(ProviderError);
    const expected = { portalId: 62515, timeZone: 'US/Eastern', accountType: 'STANDARD', uiDomain: 'app.hubspot.com', dataHostingLocation: 'na1' };
    expect(await hubspot.accountDetails()).toEqual(expected);
    expect(await hubspot.accountDetails()).toEqual(expected);
    expect(stub.requestsTo('GET', '/account-info/2026-03/details')).toHaveLength(2);
  });

  it('once the zone is known, a DAILY 429 without Retry-After waits for the account\'s midnight', async () => {
    stub.enqueue('GET', '/account-info/v3/details', { body: { ...details, timeZone: 'America/New_York' } });
    await hubspot.accountDetails();
    stub.enqueue('GET', '/crm/v3/objects/contacts/1', {
      status: 429,
      body: { status: 'error', message: 'You have reached your daily limit.', errorType: 'RATE_LIMIT', policyName: 'DAILY', category: 'RATE_LIMITS' },
    });
    const err = await failure(hubspot.getObject('contacts', '1', []));
    // NOW is 15:30 UTC = 11:30 in New York (EDT since 8 March): 12.5 h to its midnight, not 8.5 h to UTC's.
    expect(err).toMatchObject({ policy: 'DAILY', retryAfterMs: 12.5 * 3_600_000 });
  });
});

describe('createObject (notes)', () => {
  it.each([
    ['v3', '/crm/v3/objects/notes'],
    ['2026-03', '/crm/objects/2026-03/notes'],
  ] as const)('posts properties and inline associations to the notes path of API %s', async (version, path) => {
    hubspot = createHubSpotClient({ baseUrl: stub.url, accessToken: TOKEN, timeoutMs: 2000, clock, paths: hubspotPathsFor(version) });
    stub.enqueue('POST', path, { status: 201, body: { id: 70001, properties: { hs_note_body: 'b', hs_timestamp: '2026-03-10T15:30:00.000Z' }, createdAt: 'x', updatedAt: 'x', archived: false } });
    const associations = [{ to: { id: '42' }, types: [{ associationCategory: 'HUBSPOT_DEFINED' as const, associationTypeId: 202 }] }];
    const note = await hubspot.createObject('notes', { hs_timestamp: '2026-03-10T15:30:00.000Z', hs_note_body: 'b' }, associations);
    expect(note).toMatchObject({ id: '70001', properties: { hs_note_body: 'b' } });
    expect(stub.requestsTo('POST', path)[0]?.body).toEqual({ properties: { hs_timestamp: '2026-03-10T15:30:00.000Z', hs_note_body: 'b' }, associations });
  });

  it('a refused create is a permanent provider error with HubSpot\'s message', async () => {
    stub.enqueue('POST', '/crm/v3/objects/notes', { status: 400, body: { status: 'error', category: 'VALIDATION_ERROR', message: 'hs_timestamp is required' } });
    const err = await failure(hubspot.createObject('notes', { hs_note_body: 'b' }));
    expect(err.failureClass).toBe('permanent');
    expect(err.message).toContain('hs_timestamp is required');
  });
});
