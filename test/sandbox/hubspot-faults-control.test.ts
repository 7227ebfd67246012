import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock, seededRandom } from '../../src/core/clock.js';
import { seedContacts } from '../../src/sandbox/hubspot/seed.js';
import { startHubSpotSandbox, type HubSpotSandbox, type HubSpotSandboxOptions } from '../../src/sandbox/hubspot/server.js';

const token = 'pat-faults';
const sandboxes: HubSpotSandbox[] = [];

async function start(opts: Partial<HubSpotSandboxOptions> = {}): Promise<HubSpotSandbox> {
  const sb = await startHubSpotSandbox({ accessToken: token, clientSecret: 's', clock: new ManualClock(), burst: 10_000, ...opts });
  sandboxes.push(sb);
  return sb;
}

afterEach(async () => {
  for (const sb of sandboxes.splice(0)) await sb.close();
});

async function api(sb: HubSpotSandbox, method: string, path: string, body?: unknown): Promise<{ status: number; contentType: string; text: string }> {
  const res = await fetch(`${sb.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', text: await res.text() };
}

async function control(sb: HubSpotSandbox, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${sb.url}/_sandbox${path}`, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text === '' ? undefined : JSON.parse(text) };
}

describe('faults', () => {
  it('injects 5xx: 500 as HubSpot JSON, 502-504 as HTML gateway pages; never on /_sandbox', async () => {
    const sb = await start({ seed: 3 });
    const c = sb.crm.create('contacts', { firstname: 'Ann' });
    expect((await control(sb, 'POST', '/faults', { errorRate: 1 })).body.errorRate).toBe(1);
    const answers = await Promise.all(Array.from({ length: 20 }, () => api(sb, 'GET', `/crm/v3/objects/contacts/${c.id}`)));
    const statuses = new Set(answers.map((a) => a.status));
    expect([...statuses].every((s) => [500, 502, 503, 504].includes(s))).toBe(true);
    expect(statuses.size).toBeGreaterThan(1);
    for (const a of answers) {
      if (a.status === 500) expect(JSON.parse(a.text)).toMatchObject({ status: 'error', category: 'INTERNAL_ERROR' });
      else expect(a.contentType).toMatch(/text\/html/);
    }
    expect((await control(sb, 'GET', '/stats')).status).toBe(200);
    expect(sb.stats().faults.serverErrors).toBe(20);
  });

  it('fails the same requests for the same seed', async () => {
    const pattern = async () => {
      const sb = await start({ seed: 11, faults: { errorRate: 0.5 } });
      const c = sb.crm.create('contacts', { firstname: 'Ann' });
      const statuses: number[] = [];
      for (let i = 0; i < 16; i++) statuses.push((await api(sb, 'GET', `/crm/v3/objects/contacts/${c.id}`)).status);
      return statuses;
    };
    const first = await pattern();
    expect(first).toContain(200);
    expect(first.some((s) => s >= 500)).toBe(true);
    expect(await pattern()).toEqual(first);
  });

  it('fails valid batch rows with retryable LOCKED errors at partialFailureRate, leaving them unapplied', async () => {
    const sb = await start({ seed: 5 });
    const rows = sb.crm.createMany('contacts', Array.from({ length: 40 }, (_, i) => ({ properties: { firstname: `C${i}` } })));
    sb.control.setFaults({ partialFailureRate: 0.5, operations: ['objects.batchUpdate'] });
    const res = await api(sb, 'POST', '/crm/v3/objects/contacts/batch/update', { inputs: rows.map((r) => ({ id: r.id, properties: { jobtitle: 'CTO' } })) });
    expect(res.status).toBe(207);
    const body = JSON.parse(res.text);
    expect(body.numErrors).toBeGreaterThan(0);
    expect(body.results.length + body.numErrors).toBe(40);
    for (const e of body.errors) expect(e).toMatchObject({ status: 'error', category: 'LOCKED' });
    const locked = body.errors.map((e: any) => e.context.ids[0]);
    for (const id of locked) expect(sb.crm.get('contacts', id)?.properties.jobtitle).toBeUndefined();
    expect(sb.stats().faults.lockedRows).toBe(locked.length);
  });

  it('sends spurious 429s while under budget', async () => {
    const sb = await start({ faults: { rateLimitStormRate: 1 } });
    const c = sb.crm.create('contacts', { firstname: 'Ann' });
    const res = await api(sb, 'GET', `/crm/v3/objects/contacts/${c.id}`);
    expect(res.status).toBe(429);
    expect(JSON.parse(res.text)).toMatchObject({ policyName: 'TEN_SECONDLY_ROLLING', errorType: 'RATE_LIMIT' });
    expect(sb.stats().injectedRateLimits).toBe(1);
    expect(sb.stats().dailyUsed).toBe(0);
  });

  it('drops the connection before handling, or after applying a write', async () => {
    const sb = await start({ faults: { resetRate: 1 } });
    const c = sb.crm.create('contacts', { firstname: 'Ann' });
    await expect(api(sb, 'PATCH', `/crm/v3/objects/contacts/${c.id}`, { properties: { jobtitle: 'before' } })).rejects.toThrow();
    expect(sb.crm.get('contacts', c.id)?.properties.jobtitle).toBeUndefined();

    sb.control.setFaults({ resetRate: 0, resetAfterWriteRate: 1 });
    await expect(api(sb, 'PATCH', `/crm/v3/objects/contacts/${c.id}`, { properties: { jobtitle: 'after' } })).rejects.toThrow();
    expect(sb.crm.get('contacts', c.id)?.properties.jobtitle).toBe('after');
    expect(sb.stats().statuses.reset).toBe(2);
  });

  it('adds latency without changing the answer', async () => {
    const sb = await start({ faults: { latencyMs: { min: 1, max: 5 } } });
    const c = sb.crm.create('contacts', { firstname: 'Ann' });
    expect((await api(sb, 'GET', `/crm/v3/objects/contacts/${c.id}`)).status).toBe(200);
    expect(sb.control.faults().latencyMs).toEqual({ min: 1, max: 5 });
  });
});

describe('control API', () => {
  it('seeds, reads and bulk-updates records without using the rate limit', async () => {
    const sb = await start({ burst: 1 });
    const seeded = await control(sb, 'POST', '/records/contacts', { generate: { count: 50, junkRate: 0.5, missingFirstnameRate: 0.2 } });
    expect(seeded.status).toBe(201);
    expect(seeded.body.created).toBe(50);
    const explicit = await control(sb, 'POST', '/records/contacts', { records: [{ id: '5000', properties: { firstname: 'Kim', lifecyclestage: 'lead' } }] });
    expect(explicit.body.ids).toEqual(['5000']);
    const invalid = await control(sb, 'POST', '/records/contacts', { records: [{ properties: { lifecyclestage: 'nope' } }] });
    expect(invalid.status).toBe(400);

    const page = await control(sb, 'GET', '/records/contacts?limit=20');
    expect(page.body.total).toBe(51);
    expect(page.body.results).toHaveLength(20);
    expect(page.body.paging.next.after).toBe('20');
    expect((await control(sb, 'GET', '/records/contacts/5000')).body.properties.firstname).toBe('Kim');

    const updated = await control(sb, 'POST', '/records/contacts/update', { inputs: [{ id: '5000', properties: { lifecyclestage: 'customer' } }] });
    expect(updated.body).toEqual({ updated: 1 });
    expect(sb.stats().totalRequests).toBe(0);
    expect(sb.stats().dailyUsed).toBe(0);
  });

  it('sets faults, limits, subscriptions and the webhook target, and resets stats', async () => {
    const sb = await start();
    const c = sb.crm.create('contacts', { firstname: 'Ann' });
    await api(sb, 'GET', `/crm/v3/objects/contacts/${c.id}`);
    expect((await control(sb, 'GET', '/stats')).body.calls).toEqual({ 'objects.get': 1 });
    expect((await control(sb, 'POST', '/faults', { errorRate: 2 })).status).toBe(400);
    expect((await control(sb, 'POST', '/limits', { searchLagMs: 250, searchPerSecond: 9 })).body).toMatchObject({ searchLagMs: 250, searchPerSecond: 9 });
    const subs = await control(sb, 'POST', '/subscriptions', {
      subscriptions: [{ subscriptionType: 'contact.propertyChange', propertyName: 'lifecyclestage' }],
      settings: { duplicateRate: 0.1 },
    });
    expect(subs.body.subscriptions[0]).toMatchObject({ subscriptionType: 'contact.propertyChange', propertyName: 'lifecyclestage', active: true });
    expect(subs.body.settings.duplicateRate).toBe(0.1);
    expect((await control(sb, 'POST', '/subscriptions', { subscriptions: [{ subscriptionType: 'contact.propertyChange' }] })).status).toBe(400);
    expect((await control(sb, 'POST', '/webhook-target', { url: 'http://127.0.0.1:9/hook' })).body.target).toBe('http://127.0.0.1:9/hook');
    expect(sb.webhooks.target()).toBe('http://127.0.0.1:9/hook');
    expect((await control(sb, 'POST', '/associations', { fromType: 'deals', fromId: '1', toType: 'contacts', toId: c.id })).status).toBe(404);

    expect((await control(sb, 'POST', '/reset-stats')).status).toBe(204);
    expect(sb.stats()).toMatchObject({ totalRequests: 0, calls: {}, maxRequestsIn10s: 0, writes: { total: 0 } });
  });
});

describe('seed data', () => {
  it('is realistic, valid and reproducible, with junk when asked', () => {
    const rows = seedContacts(200, seededRandom(1), { junkRate: 0.3, missingFirstnameRate: 0.1, now: Date.UTC(2026, 5, 1) });
    expect(seedContacts(200, seededRandom(1), { junkRate: 0.3, missingFirstnameRate: 0.1, now: Date.UTC(2026, 5, 1) })).toEqual(rows);
    const props = rows.map((r) => r.properties as Record<string, string>);
    expect(props.filter((p) => p.firstname === undefined).length).toBeGreaterThan(5);
    const placeholders = ['N/A', 'n/a', '-', 'test', 'Unknown', 'none', 'NULL', 'TBD'];
    const junk = props.filter((p) => [p.firstname, p.company, p.jobtitle].some((v) => v !== undefined && placeholders.includes(v)));
    expect(junk.length).toBeGreaterThan(30);
    expect(new Set(props.map((p) => p.email)).size).toBe(200);
    expect(props.every((p) => /^\d{4}-\d{2}-\d{2}$/.test(p.contract_end_date ?? ''))).toBe(true);
  });
});
