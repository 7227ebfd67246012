/**
 * SPEC "Inbound responses": any 5xx is logged with a request id and its body
 * carries no internal error text. The store is broken on purpose (its events
 * table dropped), so the database's own message exists and must not leak.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { testDialects } from '../helpers/databases.js';
import { startHarness, type Harness } from '../helpers/harness.js';

/** Standard Webhooks signature, as HeyGen's registered endpoints are signed. */
function signCallback(secret: string, body: string): Record<string, string> {
  const id = `msg_${randomBytes(8).toString('hex')}`;
  const timestamp = String(Math.floor(Date.now() / 1000));
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  return { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}` };
}

/** Words of the databases' own error texts, which must stay in the logs. */
const INTERNAL_TEXT = /no such table|relation|does not exist|sqlite|postgres|insert into|select /i;

interface LogLine {
  level: number;
  reqId?: string;
  statusCode?: number;
  msg?: string;
  err?: { message?: string };
}

describe.each(await testDialects())('server errors on %s', (dialect) => {
  let h: Harness;
  afterEach(async () => h?.stop());

  function logLines(): LogLine[] {
    return h
      .logs()
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as LogLine);
  }

  async function breakTheStore(): Promise<void> {
    await sql`drop table events`.execute(h.service.store.db);
  }

  it('an unexpected failure answers 500 with a generic body and a request id, logged once with that id and the cause', async () => {
    h = await startHarness({ dialect });
    await breakTheStore();
    const body = JSON.stringify({ event_type: 'avatar_video.success', event_data: { video_id: 'v1' } });
    const response = await fetch(`${h.env.publicUrl}/webhooks/heygen`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signCallback(h.secrets.heygenWebhookSecret, body) },
      body,
    });

    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).not.toMatch(INTERNAL_TEXT);
    const answer = JSON.parse(text) as { error: string; requestId: string };
    expect(answer).toEqual({ error: 'internal error', requestId: expect.any(String) });
    expect(answer.requestId.length).toBeGreaterThan(0);
    expect(response.headers.get('x-request-id')).toBe(answer.requestId);

    const lines = logLines().filter((l) => l.reqId === answer.requestId);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 50, statusCode: 500 });
    // The cause is in the log, for the operator.
    expect(lines[0]?.err?.message).toMatch(INTERNAL_TEXT);
  });

  it('a deliberate 503 (the store cannot take the event) keeps its meaning, carries a request id, and is logged once', async () => {
    h = await startHarness({ dialect });
    const id = h.sandbox.hubspot.crm.create('contacts', { firstname: 'Ida', company: 'Outage Co' }).id;
    await breakTheStore();
    const response = await h.postHubSpot({ hs_object_id: Number(id) }, { query: '?campaign=bdr-intro' });

    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    const text = await response.text();
    expect(text).not.toMatch(INTERNAL_TEXT);
    const answer = JSON.parse(text) as { error: string; requestId: string };
    expect(answer).toEqual({ error: 'store_unavailable', requestId: expect.any(String) });

    const lines = logLines().filter((l) => l.reqId === answer.requestId);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 50, statusCode: 503 });
    expect(lines[0]?.err?.message).toMatch(INTERNAL_TEXT);
  });

  it('request ids differ from one request to the next', async () => {
    h = await startHarness({ dialect });
    await breakTheStore();
    const ids = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const response = await h.postHubSpot({ hs_object_id: 1000 + i }, { query: '?campaign=bdr-intro' });
      ids.add(((await response.json()) as { requestId: string }).requestId);
    }
    expect(ids.size).toBe(3);
  });
});
