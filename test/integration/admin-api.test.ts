/**
 * The admin API (`/api/*`, bearer `REELAY_ADMIN_TOKEN`) and the operational
 * endpoints (`/metrics`, `/healthz`, `/readyz`), as an operator uses them:
 * find a render, read its timeline, re-render a failed one, cancel a live one.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../helpers/databases.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import type { RenderRow } from '../../src/store/schema.js';

interface RenderList {
  renders: RenderRow[];
  counts: Record<string, number>;
}

interface RenderDetail {
  render: RenderRow;
  timeline: Array<{ from_state: string | null; to_state: string; note: string }>;
}

interface MetricSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Prometheus text format -> samples (comments skipped). */
function parseMetrics(text: string): MetricSample[] {
  const samples: MetricSample[] = [];
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) continue;
    const labels = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    samples.push({ name: match[1] as string, labels, value: Number(match[3]) });
  }
  return samples;
}

function sample(samples: MetricSample[], name: string, labels: Record<string, string>): number | undefined {
  return samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
}

describe('admin API', () => {
  let h: Harness;
  afterEach(async () => h?.stop());

  async function api<T>(method: 'GET' | 'POST', path: string, token: string | null = h.secrets.adminToken): Promise<{ status: number; body: T }> {
    const headers: Record<string, string> = token === null ? {} : { authorization: `Bearer ${token}` };
    const response = await fetch(`${h.env.publicUrl}${path}`, { method, headers });
    return { status: response.status, body: (await response.json()) as T };
  }

  /** Starts a render for a new contact of `campaign` through a workflow webhook; resolves with its render id. */
  async function trigger(firstname: string, campaign = 'bdr-intro'): Promise<{ contactId: string; renderId: number }> {
    const contactId = h.sandbox.hubspot.crm.create('contacts', { firstname, company: 'Ops Co', contract_end_date: '2027-03-01' }).id;
    const response = await h.postHubSpot({ hs_object_id: Number(contactId) }, { query: `?campaign=${campaign}` });
    expect(response.status).toBe(200);
    const row = await h.service.store.db.selectFrom('renders').select('id').where('object_id', '=', contactId).executeTakeFirstOrThrow();
    return { contactId, renderId: row.id };
  }

  async function stateOf(renderId: number): Promise<string> {
    return (await h.service.store.db.selectFrom('renders').select('state').where('id', '=', renderId).executeTakeFirstOrThrow()).state;
  }

  async function crmStatus(contactId: string): Promise<string | undefined> {
    return h.sandbox.hubspot.crm.get('contacts', contactId)?.properties.heygen_render_status;
  }

  it('answers 401 without a bearer token or with a wrong one, and does nothing', async () => {
    h = await startHarness();
    h.sandbox.heygen.control.setFaults({ failRate: 1 });
    const { renderId } = await trigger('Nia');
    await h.settled();
    expect(await stateOf(renderId)).toBe('failed');

    const routes: Array<['GET' | 'POST', string]> = [
      ['GET', '/api/renders'],
      ['GET', `/api/renders/${renderId}`],
      ['POST', `/api/renders/${renderId}/retry`],
      ['POST', `/api/renders/${renderId}/cancel`],
      ['POST', '/api/renders/retry-failed?campaign=bdr-intro'],
    ];
    for (const [method, path] of routes) {
      for (const token of [null, 'wrong-token', `${h.secrets.adminToken}x`]) {
        const { status, body } = await api<{ error: string }>(method, path, token);
        expect({ method, path, token, status }).toEqual({ method, path, token, status: 401 });
        expect(body.error).toBe('unauthorized');
      }
    }
    expect(await stateOf(renderId)).toBe('failed');
  });

  it('lists renders with counts by state, and shows one render with its timeline', async () => {
    h = await startHarness();
    const { contactId, renderId } = await trigger('Omar');
    await h.settled();

    const list = await api<RenderList>('GET', '/api/renders');
    expect(list.status).toBe(200);
    expect(list.body.renders).toHaveLength(1);
    expect(list.body.renders[0]).toMatchObject({ id: renderId, state: 'completed', campaign_id: 'bdr-intro', object_type: 'contacts', object_id: contactId });
    expect(list.body.counts).toEqual({ completed: 1 });
    expect((await api<RenderList>('GET', '/api/renders?state=failed')).body.renders).toEqual([]);
    expect((await api<RenderList>('GET', '/api/renders?campaign=renewal')).body.renders).toEqual([]);
    expect((await api<RenderList>('GET', '/api/renders?state=melted')).status).toBe(400);

    const detail = await api<RenderDetail>('GET', `/api/renders/${renderId}`);
    expect(detail.status).toBe(200);
    expect(detail.body.render).toMatchObject({ id: renderId, state: 'completed', video_id: h.sandbox.heygen.ledger()[0]?.video_id });
    const states = detail.body.timeline.map((t) => t.to_state).filter((s, i, all) => s !== all[i - 1]);
    expect(states).toEqual(['received', 'enriched', 'submitting', 'rendering', 'completed']);
    expect((await api('GET', '/api/renders/999999')).status).toBe(404);
  });

  it('retry of a failed render re-renders it: COMPLETED in the CRM, and only the completed render is billed', async () => {
    h = await startHarness();
    h.sandbox.heygen.control.setFaults({ failRate: 1 });
    const { contactId, renderId } = await trigger('Pia');
    await h.waitFor(async () => (await crmStatus(contactId)) === 'FAILED', 20_000, 'the CRM to show FAILED');
    await h.settled();

    h.sandbox.heygen.control.clearFaults();
    const retried = await api<{ ok: boolean; state: string }>('POST', `/api/renders/${renderId}/retry`);
    expect(retried).toEqual({ status: 200, body: { ok: true, state: 'received' } });
    await h.waitFor(async () => (await crmStatus(contactId)) === 'COMPLETED', 20_000, 'the CRM to show COMPLETED');
    await h.settled();
    await h.sandbox.heygen.drain();

    const props = h.sandbox.hubspot.crm.get('contacts', contactId)?.properties ?? {};
    expect(props.heygen_render_error ?? '').toBe('');
    const ledger = h.sandbox.heygen.ledger();
    expect(ledger.map((e) => ({ status: e.status, billed: e.billed }))).toEqual([
      { status: 'failed', billed: false },
      { status: 'completed', billed: true },
    ]);
    expect(props.heygen_job_id).toBe(ledger[1]?.video_id);
    // A completed render cannot be retried into a second bill.
    expect((await api('POST', `/api/renders/${renderId}/retry`)).status).toBe(409);
  });

  it('cancel stops a live render; a finished one cannot be cancelled', async () => {
    h = await startHarness({ sandbox: { heygen: { faults: { stuckRate: 1 } } } });
    const { renderId } = await trigger('Rex');
    await h.waitFor(async () => (await stateOf(renderId)) === 'rendering', 20_000, 'the render to be with HeyGen');

    const cancelled = await api<{ ok: boolean; state: string }>('POST', `/api/renders/${renderId}/cancel`);
    expect(cancelled).toEqual({ status: 200, body: { ok: true, state: 'cancelled' } });
    expect(await stateOf(renderId)).toBe('cancelled');
    const detail = await api<RenderDetail>('GET', `/api/renders/${renderId}`);
    expect(detail.body.timeline.at(-1)).toMatchObject({ to_state: 'cancelled', note: expect.stringMatching(/cancelled by an operator/) });
    await h.settled();
    expect(await stateOf(renderId)).toBe('cancelled');

    const again = await api<{ message: string }>('POST', `/api/renders/${renderId}/cancel`);
    expect(again.status).toBe(409);
    expect(again.body.message).toMatch(/already cancelled/);
    expect((await api('POST', '/api/renders/999999/cancel')).status).toBe(409);
  });

  it('retry-failed?campaign= re-renders the failed renders of that campaign only', async () => {
    h = await startHarness();
    h.sandbox.heygen.control.setFaults({ failRate: 1 });
    const intro = [await trigger('Sam'), await trigger('Tia')];
    const renewal = await trigger('Ugo', 'renewal');
    await h.settled();
    for (const { renderId } of [...intro, renewal]) expect(await stateOf(renderId)).toBe('failed');

    h.sandbox.heygen.control.clearFaults();
    const result = await api<{ retried: number; refused: number }>('POST', '/api/renders/retry-failed?campaign=bdr-intro');
    expect(result).toEqual({ status: 200, body: { retried: 2, refused: 0 } });
    await h.settled();

    for (const { contactId } of intro) expect(await crmStatus(contactId)).toBe('COMPLETED');
    expect(await crmStatus(renewal.contactId)).toBe('FAILED');
    expect(await stateOf(renewal.renderId)).toBe('failed');
    expect(h.sandbox.heygen.ledger().filter((e) => e.billed)).toHaveLength(2);
  });

  it('/metrics, /healthz and /readyz answer without a token', async () => {
    h = await startHarness();
    const { contactId } = await trigger('Val');
    await h.settled();
    expect(await crmStatus(contactId)).toBe('COMPLETED');

    expect((await fetch(`${h.env.publicUrl}/healthz`)).status).toBe(200);
    expect((await fetch(`${h.env.publicUrl}/readyz`)).status).toBe(200);
    const response = await fetch(`${h.env.publicUrl}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const samples = parseMetrics(await response.text());
    expect(sample(samples, 'reelay_events_received_total', { source: 'hubspot', outcome: 'accepted' })).toBe(1);
    expect(sample(samples, 'reelay_renders', { state: 'completed' })).toBe(1);
    expect(sample(samples, 'reelay_provider_calls_total', { provider: 'heygen' })).toBeGreaterThan(0);
    expect(sample(samples, 'reelay_provider_calls_total', { provider: 'hubspot' })).toBeGreaterThan(0);
    // SQLite: the webhook's 2xx waited for a flush of the WAL, and the flush was timed.
    expect(sample(samples, 'reelay_sqlite_wal_flush_seconds_count', {})).toBeGreaterThan(0);
  });

  it('/metrics asks for REELAY_METRICS_TOKEN as a bearer token when it is set', async () => {
    const token = 'metrics-token-0123456789';
    h = await startHarness({ env: { REELAY_METRICS_TOKEN: token } });
    const url = `${h.env.publicUrl}/metrics`;
    const without = await fetch(url);
    expect(without.status).toBe(401);
    expect(await without.text()).not.toContain('reelay_');
    expect((await fetch(url, { headers: { authorization: 'Bearer wrong-token-0123456789x' } })).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: token } })).status).toBe(401);
    const withToken = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    expect(withToken.status).toBe(200);
    expect(await withToken.text()).toContain('reelay_events_received_total');
    // Health checks stay open for load balancers.
    expect((await fetch(`${h.env.publicUrl}/healthz`)).status).toBe(200);
  });
});

/**
 * Every admin query, path parameter and body is validated (zod): a bad one
 * gets 400 naming the field, never a 500 and never a silently ignored
 * filter; nothing changes.
 */
describe.each(await testDialects())('admin API input on %s', (dialect) => {
  let h: Harness;
  let failedId: number;
  beforeAll(async () => {
    h = await startHarness({ dialect });
    h.sandbox.heygen.control.setFaults({ failRate: 1 });
    const contactId = h.sandbox.hubspot.crm.create('contacts', { firstname: 'Ivo', company: 'Input Co' }).id;
    expect((await h.postHubSpot({ hs_object_id: Number(contactId) }, { query: '?campaign=bdr-intro' })).status).toBe(200);
    await h.settled();
    failedId = (await h.service.store.db.selectFrom('renders').select('id').executeTakeFirstOrThrow()).id;
  });
  afterAll(async () => h?.stop());

  async function call(method: 'GET' | 'POST', path: string, body?: string): Promise<{ status: number; body: { error?: string; message?: string; issues?: Array<{ path: string; message: string }> } }> {
    const headers: Record<string, string> = { authorization: `Bearer ${h.secrets.adminToken}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${h.env.publicUrl}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
    return { status: response.status, body: (await response.json()) as never };
  }

  async function snapshot(): Promise<unknown> {
    return h.service.store.db.selectFrom('renders').select(['id', 'state', 'attempts', 'updated_at']).orderBy('id').execute();
  }

  const refused: Array<[string, 'GET' | 'POST', string, string]> = [
    ['a negative limit', 'GET', '/api/renders?limit=-1', 'limit'],
    ['a fractional limit', 'GET', '/api/renders?limit=0.5', 'limit'],
    ['a zero limit', 'GET', '/api/renders?limit=0', 'limit'],
    ['a limit over 500', 'GET', '/api/renders?limit=501', 'limit'],
    ['a limit that is not a number', 'GET', '/api/renders?limit=ten', 'limit'],
    ['an empty limit', 'GET', '/api/renders?limit=', 'limit'],
    ['a repeated state', 'GET', '/api/renders?state=failed&state=completed', 'state'],
    ['a repeated campaign', 'GET', '/api/renders?campaign=a&campaign=b', 'campaign'],
    ['a repeated limit', 'GET', '/api/renders?limit=1&limit=2', 'limit'],
    ['an unknown state', 'GET', '/api/renders?state=melted', 'state'],
    ['an unknown object type', 'GET', '/api/renders?object=widgets', 'object'],
    ['an object id that is not a record id', 'GET', '/api/renders?objectId=12a', 'objectId'],
    ['an unknown query key (a typo would silently list everything)', 'GET', '/api/renders?stat=failed', 'stat'],
    ['a render id that is not a number', 'GET', '/api/renders/abc', 'id'],
    ['a fractional render id', 'GET', '/api/renders/1.5', 'id'],
    ['a render id beyond the id column', 'GET', '/api/renders/99999999999999999999', 'id'],
    ['retry of a render id that is not a number', 'POST', '/api/renders/abc/retry', 'id'],
    ['retry of a render id beyond the id column', 'POST', '/api/renders/4294967296/retry', 'id'],
    ['cancel of a negative render id', 'POST', '/api/renders/-1/cancel', 'id'],
    ['retry-failed with a repeated campaign', 'POST', '/api/renders/retry-failed?campaign=bdr-intro&campaign=renewal', 'campaign'],
    ['retry-failed with an empty campaign', 'POST', '/api/renders/retry-failed?campaign=', 'campaign'],
    ['retry-failed with an unknown query key', 'POST', '/api/renders/retry-failed?campaing=bdr-intro', 'campaing'],
  ];

  it.each(refused)('%s -> 400 naming the field, nothing changed', async (_name, method, path, field) => {
    const before = await snapshot();
    const answer = await call(method, path);
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe('bad_request');
    expect(answer.body.issues?.map((i) => i.path)).toContain(field);
    expect(answer.body.message).toContain(field);
    expect(await snapshot()).toEqual(before);
  });

  it('a POST with a JSON body (the admin actions take none) is refused and changes nothing', async () => {
    const before = await snapshot();
    const answer = await call('POST', `/api/renders/${failedId}/retry`, '{"force":true}');
    expect(answer.status).toBe(400);
    expect(answer.body.issues?.map((i) => i.path)).toContain('body');
    expect(await snapshot()).toEqual(before);
  });

  it('valid input still works: limits 1 and 500, every filter, and a well-formed unknown id', async () => {
    expect((await call('GET', '/api/renders?limit=1')).status).toBe(200);
    const all = await call('GET', `/api/renders?limit=500&state=failed&campaign=bdr-intro&object=contacts`);
    expect(all.status).toBe(200);
    expect((all.body as unknown as { renders: Array<{ id: number }> }).renders.map((r) => r.id)).toEqual([failedId]);
    expect((await call('GET', `/api/renders/${failedId}`)).status).toBe(200);
    expect((await call('GET', '/api/renders/2147483647')).status).toBe(404);
    expect((await call('POST', '/api/renders/2147483647/cancel')).status).toBe(409);
  });
});
