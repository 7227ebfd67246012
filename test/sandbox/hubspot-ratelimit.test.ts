import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { startHubSpotSandbox, type HubSpotSandbox, type HubSpotSandboxOptions } from '../../src/sandbox/hubspot/server.js';

const token = 'pat-limits';
let sandbox: HubSpotSandbox | undefined;

async function start(opts: Partial<HubSpotSandboxOptions>): Promise<HubSpotSandbox> {
  sandbox = await startHubSpotSandbox({ accessToken: token, clientSecret: 'secret', ...opts });
  return sandbox;
}

afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

async function call(sb: HubSpotSandbox, method: string, path: string, body?: unknown): Promise<{ status: number; headers: Headers; body: any }> {
  const res = await fetch(`${sb.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, headers: res.headers, body: await res.json() };
}

const rateHeaders = (h: Headers) => Object.fromEntries([...h].filter(([k]) => k.startsWith('x-hubspot-ratelimit')));

describe('ten-second rolling limit', () => {
  it('answers the (burst+1)th request inside 10 s with 429 and applies nothing; successes carry the headers', async () => {
    const clock = new ManualClock();
    const sb = await start({ clock, burst: 5 });
    const contact = sb.crm.create('contacts', { firstname: 'Ann' });
    for (let i = 0; i < 5; i++) {
      const res = await call(sb, 'PATCH', `/crm/v3/objects/contacts/${contact.id}`, { properties: { jobtitle: `title ${i}` } });
      expect(res.status).toBe(200);
      expect(rateHeaders(res.headers)).toEqual({
        'x-hubspot-ratelimit-max': '5',
        'x-hubspot-ratelimit-remaining': String(4 - i),
        'x-hubspot-ratelimit-interval-milliseconds': '10000',
        'x-hubspot-ratelimit-daily': '250000',
        'x-hubspot-ratelimit-daily-remaining': String(250000 - i - 1),
      });
      clock.advance(1000);
    }
    const refused = await call(sb, 'PATCH', `/crm/v3/objects/contacts/${contact.id}`, { properties: { jobtitle: 'too many' } });
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({
      status: 'error',
      message: 'You have reached your ten_secondly_rolling limit.',
      errorType: 'RATE_LIMIT',
      policyName: 'TEN_SECONDLY_ROLLING',
    });
    expect(refused.body.groupName).toMatch(/^publicapi:/);
    expect(refused.body.correlationId).toBeTypeOf('string');
    expect(refused.headers.get('retry-after')).toBeNull();
    expect(sb.crm.get('contacts', contact.id)?.properties.jobtitle).toBe('title 4');
    expect(sb.stats().rateLimited.TEN_SECONDLY_ROLLING).toBe(1);
  });

  it('is rolling: a slot frees exactly when the oldest request is 10 s old, never more than burst in any 10 s span', async () => {
    const clock = new ManualClock();
    const sb = await start({ clock, burst: 3 });
    const c = sb.crm.create('contacts', { firstname: 'Ann' });
    const get = () => call(sb, 'GET', `/crm/v3/objects/contacts/${c.id}`);

    const statuses: number[] = [];
    for (const at of [0, 4000, 8000]) {
      clock.set(Date.UTC(2026, 0, 1) + at);
      statuses.push((await get()).status);
    }
    clock.set(Date.UTC(2026, 0, 1) + 9999);
    statuses.push((await get()).status);
    clock.set(Date.UTC(2026, 0, 1) + 10_000);
    statuses.push((await get()).status);
    statuses.push((await get()).status);
    clock.set(Date.UTC(2026, 0, 1) + 14_000);
    statuses.push((await get()).status);
    expect(statuses).toEqual([200, 200, 200, 429, 200, 429, 200]);
    // Received (not accepted) requests in (0 s, 10 s]: 4 s, 8 s, 9.999 s and both at 10 s.
    expect(sb.stats().maxRequestsIn10s).toBe(5);
  });

  it('sends Retry-After in seconds when configured', async () => {
    const clock = new ManualClock();
    const sb = await start({ clock, burst: 1, retryAfter: true });
    const c = sb.crm.create('contacts', { firstname: 'Ann' });
    await call(sb, 'GET', `/crm/v3/objects/contacts/${c.id}`);
    clock.advance(2500);
    const refused = await call(sb, 'GET', `/crm/v3/objects/contacts/${c.id}`);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('8');
  });
});

describe('daily limit', () => {
  it('refuses with policy DAILY once the day is used up, and allows again the next UTC day', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1, 23, 0));
    const sb = await start({ clock, burst: 100, daily: 2 });
    const c = sb.crm.create('contacts', { firstname: 'Ann' });
    expect((await call(sb, 'GET', `/crm/v3/objects/contacts/${c.id}`)).status).toBe(200);
    const last = await call(sb, 'GET', `/crm/v3/objects/contacts/${c.id}`);
    expect(last.headers.get('x-hubspot-ratelimit-daily-remaining')).toBe('0');
    const refused = await call(sb, 'GET', `/crm/v3/objects/contacts/${c.id}`);
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ policyName: 'DAILY', errorType: 'RATE_LIMIT', message: 'You have reached your daily limit.' });
    clock.set(Date.UTC(2026, 0, 2, 0, 0, 1));
    expect((await call(sb, 'GET', `/crm/v3/objects/contacts/${c.id}`)).status).toBe(200);
    expect(sb.stats().rateLimited.DAILY).toBe(1);
  });
});

describe('search limit', () => {
  it('allows searchPerSecond searches per second, then 429 SECONDLY, never with rate-limit headers and without using the burst', async () => {
    const clock = new ManualClock();
    const sb = await start({ clock, burst: 2, searchPerSecond: 5 });
    sb.crm.create('contacts', { firstname: 'Ann' });
    const search = () => call(sb, 'POST', '/crm/v3/objects/contacts/search', { limit: 1 });
    for (let i = 0; i < 5; i++) {
      const ok = await search();
      expect(ok.status).toBe(200);
      expect(rateHeaders(ok.headers)).toEqual({});
    }
    const refused = await search();
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ policyName: 'SECONDLY', errorType: 'RATE_LIMIT' });
    expect(rateHeaders(refused.headers)).toEqual({});
    clock.advance(1000);
    expect((await search()).status).toBe(200);
    expect(sb.stats().rateLimited.SECONDLY).toBe(1);
    expect(sb.stats().dailyUsed).toBe(0);
  });
});

describe('limits changed at run time', () => {
  it('applies a new burst from the control API', async () => {
    const clock = new ManualClock();
    const sb = await start({ clock, burst: 1 });
    const c = sb.crm.create('contacts', { firstname: 'Ann' });
    await call(sb, 'GET', `/crm/v3/objects/contacts/${c.id}`);
    expect((await call(sb, 'GET', `/crm/v3/objects/contacts/${c.id}`)).status).toBe(429);
    const res = await fetch(`${sb.url}/_sandbox/limits`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ burst: 3 }) });
    expect(await res.json()).toMatchObject({ burst: 3, daily: 250000, searchPerSecond: 5 });
    const ok = await call(sb, 'GET', `/crm/v3/objects/contacts/${c.id}`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('x-hubspot-ratelimit-remaining')).toBe('1');
  });
});
