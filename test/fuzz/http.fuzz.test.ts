/**
 * Fuzzing the HTTP surface over real HTTP: a real in-process Reelay (role
 * `web`, so no worker moves anything behind the test's back) on a real
 * database, fed random and mutated requests on `POST /webhooks/hubspot`,
 * `POST /webhooks/heygen` and `/api/*`. None may answer 5xx; a request that
 * is not correctly signed gets 401; and nothing changes the store (events,
 * renders and their states) unless it was signed, valid and answered 2xx.
 */
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../helpers/databases.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { signV1, signV2, signV3 } from '../helpers/signing.js';
import { awkwardJson, fuzzAsync, mutated } from './fuzz.js';

/** Only campaigns whose renders never fan out: the store changes only through requests. */
const CONFIG = `
hubspot:
  portalId: "62515"
campaigns:
  - id: bdr-intro
    object: contacts
    trigger: { property: lifecyclestage, equals: marketingqualifiedlead }
    template: tpl_bdr_intro
    title: "Intro for {{firstname}}"
    variables:
      first_name: { property: firstname, required: true }
  - id: renewal
    object: contacts
    template: tpl_renewal
    title: "Renewal for {{firstname}}"
    variables:
      first_name: { property: firstname, required: true }
`;

const RUNS_PER_ENDPOINT = 300;

/** Timestamps HubSpot never sends (printable: fetch refuses control characters in headers). */
function oddTimestamp(n: number): string {
  return ['', 'abc', '1e12', '-1', ' ', '99999999999999999999', String(Date.now()) + '0', '0x1', '1700000000000.5'][n % 9] as string;
}

type HubSpotSigning = 'v3' | 'v2' | 'v1' | 'none' | 'wrong-secret' | 'stale' | 'other-body' | 'odd-timestamp' | 'odd-version';
type HeyGenSigning = 'standard' | 'hex' | 'none' | 'wrong-secret' | 'other-body';

const recordId = fc.oneof(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 60 }).map(String), fc.constantFrom('0', '-1', '1.5', 'x', '9'.repeat(20), '9'.repeat(25), 2 ** 53));
const subscriptionEvent = fc.record({
  eventId: fc.nat(),
  subscriptionId: fc.nat(),
  portalId: fc.constantFrom(62515, '62515', '', 0, '62515\u0000'),
  occurredAt: fc.nat(),
  subscriptionType: fc.constantFrom('contact.propertyChange', 'object.propertyChange', 'contact.creation', 'deal.propertyChange', 'contact.privacyDeletion'),
  objectTypeId: fc.constantFrom('0-1', '0-3'),
  attemptNumber: fc.nat({ max: 9 }),
  objectId: recordId,
  propertyName: fc.constantFrom('lifecyclestage', 'firstname'),
  propertyValue: fc.constantFrom('marketingqualifiedlead', 'lead', ''),
});
const validHubSpotBody = fc.oneof(
  fc.array(subscriptionEvent, { minLength: 1, maxLength: 4 }).map((events) => JSON.stringify(events)),
  fc.record({ hs_object_id: recordId, firstname: fc.string({ maxLength: 8 }) }).map((body) => JSON.stringify(body)),
  fc.record({ vid: recordId }, { requiredKeys: [] }).map((body) => JSON.stringify(body)),
);
const hubspotBody = fc.oneof(
  { weight: 3, arbitrary: validHubSpotBody },
  { weight: 4, arbitrary: mutated(validHubSpotBody, 5) },
  { weight: 2, arbitrary: awkwardJson.map((v) => JSON.stringify(v) ?? 'null') },
  { weight: 1, arbitrary: fc.integer({ min: 60, max: 6_000 }).map((d) => `{"hs_object_id":1,"x":${'['.repeat(d)}${']'.repeat(d)}}`) },
  { weight: 1, arbitrary: fc.string({ maxLength: 100, unit: 'binary' }) },
);
const hubspotQuery = fc.oneof(
  fc.constantFrom('', '?campaign=bdr-intro', '?campaign=renewal', '?campaign=nope', '?campaign=', '?campaign=renewal&campaign=bdr-intro', '?campaign=renewal&x=a%3Ab%2Fc', '?campaign=renewal%00'),
  mutated(fc.constant('?campaign=renewal&utm=a%3Ab'), 3).map((q) => (q.startsWith('?') ? q : `?${q}`)),
);

const CALLBACK_TYPES = ['avatar_video.success', 'avatar_video.fail', 'video.completed', 'avatar_video_gif.success', ''];
const validCallback = fc
  .record({
    event_id: fc.uuid(),
    event_type: fc.constantFrom(...CALLBACK_TYPES),
    event_data: fc.record({ video_id: fc.oneof(fc.string({ minLength: 1, maxLength: 12 }), fc.constant('v\u0000')), callback_id: fc.constantFrom('rk_1', 'x'), url: fc.webUrl(), msg: fc.string({ maxLength: 10 }) }, { requiredKeys: [] }),
  })
  .map((body) => JSON.stringify(body));
const heygenBody = fc.oneof(
  { weight: 3, arbitrary: validCallback },
  { weight: 4, arbitrary: mutated(validCallback, 5) },
  { weight: 2, arbitrary: awkwardJson.map((v) => JSON.stringify(v) ?? 'null') },
  { weight: 1, arbitrary: fc.integer({ min: 60, max: 6_000 }).map((d) => `{"event_type":"avatar_video.success","event_data":${'['.repeat(d)}${']'.repeat(d)}}`) },
);

describe.each(await testDialects())('the HTTP surface under fuzzing on %s', (dialect) => {
  let h: Harness;
  let liveIds: number[] = [];
  beforeAll(async () => {
    h = await startHarness({ dialect, config: CONFIG, role: 'web' });
    for (let i = 0; i < 20; i++) h.sandbox.hubspot.crm.create('contacts', { firstname: `Fuzz${i}`, lifecyclestage: 'lead' });
    // Renders for the admin API to act on (role web: they stay where they are).
    for (const id of [1, 2, 3]) expect((await h.postHubSpot({ hs_object_id: id }, { query: '?campaign=renewal' })).status).toBe(200);
    liveIds = (await h.service.store.db.selectFrom('renders').select('id').execute()).map((r) => r.id);
  });
  afterAll(async () => h?.stop());

  /** Everything a request could change. */
  async function snapshot(): Promise<string> {
    const db = h.service.store.db;
    const events = await db.selectFrom('events').select(['id', 'status']).orderBy('id').execute();
    const renders = await db.selectFrom('renders').select(['id', 'state', 'attempts']).orderBy('id').execute();
    return JSON.stringify({ events, renders });
  }

  function webhookUrl(path: string, query: string): { url: string; signedUri: string } {
    const url = new URL(`${h.env.publicUrl}${path}${query}`);
    // What fetch sends is what Reelay (with PUBLIC_URL) and HubSpot sign.
    return { url: url.href, signedUri: `${h.env.publicUrl}${url.pathname}${url.search}` };
  }

  function hubspotHeaders(signing: HubSpotSigning, uri: string, body: string): Record<string, string> {
    const secret = h.secrets.hubspotClientSecret;
    switch (signing) {
      case 'v3':
        return signV3(secret, 'POST', uri, body, Date.now());
      case 'v2':
        return signV2(secret, 'POST', uri, body);
      case 'v1':
        return signV1(secret, body);
      case 'none':
        return {};
      case 'wrong-secret':
        return signV3(`${secret}x`, 'POST', uri, body, Date.now());
      case 'stale':
        return signV3(secret, 'POST', uri, body, Date.now() - 6 * 60_000);
      case 'other-body':
        return signV2(secret, 'POST', uri, `${body} `);
      case 'odd-timestamp':
        return { ...signV3(secret, 'POST', uri, body, Date.now()), 'x-hubspot-request-timestamp': oddTimestamp(body.length) };
      case 'odd-version':
        return { ...signV2(secret, 'POST', uri, body), 'x-hubspot-signature-version': ['v9', 'v3', '', 'v1,v2'][body.length % 4] as string };
    }
  }

  it(`POST /webhooks/hubspot: ${RUNS_PER_ENDPOINT} random requests, no 5xx, no trace unless signed, valid and 2xx`, async () => {
    await fuzzAsync(
      fc.asyncProperty(
        hubspotBody,
        hubspotQuery,
        fc.constantFrom<HubSpotSigning>('v3', 'v3', 'v2', 'v1', 'none', 'wrong-secret', 'stale', 'other-body', 'odd-timestamp', 'odd-version'),
        fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded'),
        async (body, query, signing, contentType) => {
          const before = await snapshot();
          const { url, signedUri } = webhookUrl('/webhooks/hubspot', query);
          const response = await fetch(url, { method: 'POST', headers: { 'content-type': contentType, ...hubspotHeaders(signing, signedUri, body) }, body });
          const text = await response.text();
          expect(response.status, text).toBeLessThan(500);
          const signed = signing === 'v3' || signing === 'v2' || signing === 'v1';
          if (!signed) expect(response.status, text).toBe(401);
          // A correct signature is never refused, whatever the URL's escapes; except v1 with a
          // ?campaign= (v1 does not sign the URL, so it cannot bind the campaign: README "Security").
          const v1NamesCampaign = signing === 'v1' && new URL(url).searchParams.getAll('campaign').some((c) => c !== '');
          if (signed && !v1NamesCampaign) expect(response.status, `${signing} ${signedUri}: ${text}`).not.toBe(401);
          if (v1NamesCampaign && response.status !== 400) expect(response.status, text).toBe(401);
          if (!signed || response.status >= 300) expect(await snapshot()).toBe(before);
        },
      ),
      RUNS_PER_ENDPOINT,
    );
  });

  it(`POST /webhooks/heygen: ${RUNS_PER_ENDPOINT} random requests, no 5xx, no trace unless signed, valid and 2xx`, async () => {
    const secret = h.secrets.heygenWebhookSecret;
    const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
    const headersFor = (signing: HeyGenSigning, body: string, id: string): Record<string, string> => {
      const ts = String(Math.floor(Date.now() / 1000));
      const standard = (k: Buffer, b: string) => ({ 'webhook-id': id, 'webhook-timestamp': ts, 'webhook-signature': `v1,${createHmac('sha256', k).update(`${id}.${ts}.${b}`).digest('base64')}` });
      switch (signing) {
        case 'standard':
          return standard(key, body);
        case 'hex':
          return { 'x-heygen-signature': createHmac('sha256', Buffer.from(secret, 'utf8')).update(body).digest('hex') };
        case 'none':
          return {};
        case 'wrong-secret':
          return standard(Buffer.concat([key, Buffer.from('x')]), body);
        case 'other-body':
          return standard(key, `${body} `);
      }
    };
    await fuzzAsync(
      fc.asyncProperty(heygenBody, fc.constantFrom<HeyGenSigning>('standard', 'standard', 'hex', 'none', 'wrong-secret', 'other-body'), fc.uuid(), async (body, signing, id) => {
        const before = await snapshot();
        const response = await fetch(`${h.env.publicUrl}/webhooks/heygen`, { method: 'POST', headers: { 'content-type': 'application/json', ...headersFor(signing, body, id) }, body });
        const text = await response.text();
        expect(response.status, text).toBeLessThan(500);
        const signed = signing === 'standard' || signing === 'hex';
        if (!signed) expect(response.status, text).toBe(401);
        if (signed) expect(response.status, text).not.toBe(401);
        if (!signed || response.status >= 300) expect(await snapshot()).toBe(before);
      }),
      RUNS_PER_ENDPOINT,
    );
  });

  it(`/api/*: ${RUNS_PER_ENDPOINT} random requests, no 5xx, and only a 2xx action changes anything`, async () => {
    const id = fc.oneof(fc.constantFrom(...liveIds.map(String)), fc.constantFrom('0', '-1', '1.5', 'abc', '%00', '2147483648', '9'.repeat(30), '', '%2F'), fc.nat().map(String));
    const listQuery = fc.oneof(
      fc.constantFrom('', '?limit=-1', '?limit=0.5', '?state=failed&state=received', '?limit=500', '?object=contacts&objectId=1', '?__proto__=x', '?constructor=1', '?campaign=%00'),
      mutated(fc.constant('?state=received&campaign=renewal&object=contacts&objectId=1&limit=10'), 5).map((q) => (q.startsWith('?') ? q : `?${q}`)),
    );
    interface AdminRequest {
      method: 'GET' | 'POST';
      path: string;
      body?: string;
    }
    const request: fc.Arbitrary<AdminRequest> = fc.oneof(
      listQuery.map((q): AdminRequest => ({ method: 'GET', path: `/api/renders${q}` })),
      id.map((i): AdminRequest => ({ method: 'GET', path: `/api/renders/${i}` })),
      fc.tuple(id, fc.constantFrom('retry', 'cancel'), fc.constantFrom('', '?x=1', '?id=2'), fc.option(fc.constantFrom('{}', '{"force":true}', 'x'), { nil: undefined })).map(([i, action, q, body]): AdminRequest => ({
        method: 'POST',
        path: `/api/renders/${i}/${action}${q}`,
        ...(body === undefined ? {} : { body }),
      })),
      fc.tuple(listQuery, fc.option(fc.constant('{}'), { nil: undefined })).map(([q, body]): AdminRequest => ({ method: 'POST', path: `/api/renders/retry-failed${q}`, ...(body === undefined ? {} : { body }) })),
    );
    await fuzzAsync(
      fc.asyncProperty(request, fc.constantFrom('good', 'good', 'good', 'wrong', 'none'), async (req, token) => {
        const before = await snapshot();
        const headers: Record<string, string> = req.body === undefined ? {} : { 'content-type': 'application/json' };
        if (token === 'good') headers.authorization = `Bearer ${h.secrets.adminToken}`;
        if (token === 'wrong') headers.authorization = `Bearer ${h.secrets.adminToken}x`;
        const response = await fetch(`${h.env.publicUrl}${req.path}`, { method: req.method, headers, ...(req.body === undefined ? {} : { body: req.body }) });
        const text = await response.text();
        expect(response.status, `${req.method} ${req.path}: ${text}`).toBeLessThan(500);
        if (token !== 'good') expect(response.status).toBe(401);
        if (req.method === 'GET' || response.status >= 300) expect(await snapshot()).toBe(before);
      }),
      RUNS_PER_ENDPOINT,
    );
  });
});
