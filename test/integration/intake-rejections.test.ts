/**
 * `POST /webhooks/hubspot` refusals: a non-2xx must leave no trace that acts
 * (SPEC "Inbound responses"). Every case sends a body that WOULD start a
 * render if it were accepted (a workflow body for a contact with a good
 * first name, `?campaign=bdr-intro`), and checks the answer, that nothing
 * was stored, and that HeyGen billed nothing. The last test sends the same
 * body correctly signed with each version, to show the refusals were
 * refusals and not a body that never acts.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../helpers/databases.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { signV1, signV2, signV3 } from '../helpers/signing.js';
import { pruneEvents } from '../../src/store/prune-events.js';

const QUERY = '?campaign=bdr-intro';
const BODY_LIMIT = 64 * 1024;
const FIVE_MINUTES = 5 * 60_000;

interface Traces {
  events: number;
  renders: number;
  billed: number;
}

async function traces(h: Harness): Promise<Traces> {
  const db = h.service.store.db;
  const events = await db.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const renders = await db.selectFrom('renders').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return { events: Number(events.n), renders: Number(renders.n), billed: h.sandbox.heygen.ledger().length };
}

function webhookUrl(h: Harness): string {
  return `${h.env.publicUrl}/webhooks/hubspot${QUERY}`;
}

interface RefusalCase {
  name: string;
  status: number;
  /** What the answer's `message` must say, where the cause is worth pinning. */
  says?: RegExp;
  /** Sends the (would-be-acting) body in some refused way. */
  send(h: Harness, raw: string): Promise<Response>;
}

const WRONG_SECRET = 'not-the-client-secret';

const refusals: RefusalCase[] = [
  {
    name: 'a correct v1 signature with ?campaign= (v1 signs the body only, so the campaign would be unbound)',
    status: 401,
    says: /campaign=.*v2 or v3/,
    send: (h, raw) => h.postHubSpot(null, { raw, query: QUERY, headers: signV1(h.secrets.hubspotClientSecret, raw) }),
  },
  {
    name: 'v1 signature made with the wrong secret',
    status: 401,
    send: (h, raw) => h.postHubSpot(null, { raw, query: QUERY, headers: signV1(WRONG_SECRET, raw) }),
  },
  {
    name: 'v2 signature made with the wrong secret',
    status: 401,
    send: (h, raw) => h.postHubSpot(null, { raw, query: QUERY, headers: signV2(WRONG_SECRET, 'POST', webhookUrl(h), raw) }),
  },
  {
    name: 'v3 signature made with the wrong secret',
    status: 401,
    send: (h, raw) => h.postHubSpot(null, { raw, query: QUERY, headers: signV3(WRONG_SECRET, 'POST', webhookUrl(h), raw, Date.now()) }),
  },
  {
    name: 'v2 signature of a different body (tampered in transit)',
    status: 401,
    send: (h, raw) => h.postHubSpot(null, { raw, query: QUERY, headers: signV2(h.secrets.hubspotClientSecret, 'POST', webhookUrl(h), `${raw} `) }),
  },
  {
    name: 'v3 signature for another URL (the campaign swapped)',
    status: 401,
    send: (h, raw) =>
      h.postHubSpot(null, {
        raw,
        query: QUERY,
        headers: signV3(h.secrets.hubspotClientSecret, 'POST', `${h.env.publicUrl}/webhooks/hubspot?campaign=renewal`, raw, Date.now()),
      }),
  },
  {
    name: 'no signature at all',
    status: 401,
    says: /missing signature/,
    send: (h, raw) => h.postHubSpot(null, { raw, query: QUERY, sign: false }),
  },
  {
    name: 'v3 timestamp more than 5 minutes old (a replay)',
    status: 401,
    says: /timestamp outside/,
    send: (h, raw) =>
      h.postHubSpot(null, { raw, query: QUERY, headers: signV3(h.secrets.hubspotClientSecret, 'POST', webhookUrl(h), raw, Date.now() - FIVE_MINUTES - 60_000) }),
  },
  {
    name: 'v3 timestamp more than 5 minutes ahead',
    status: 401,
    says: /timestamp outside/,
    send: (h, raw) =>
      h.postHubSpot(null, { raw, query: QUERY, headers: signV3(h.secrets.hubspotClientSecret, 'POST', webhookUrl(h), raw, Date.now() + FIVE_MINUTES + 60_000) }),
  },
  {
    name: '?campaign= given twice (correctly v3-signed): ambiguous, so refused rather than read as no campaign',
    status: 400,
    says: /campaign= given more than once/,
    send: (h, raw) => {
      const query = `${QUERY}&campaign=renewal`;
      return h.postHubSpot(null, { raw, query, headers: signV3(h.secrets.hubspotClientSecret, 'POST', `${h.env.publicUrl}/webhooks/hubspot${query}`, raw, Date.now()) });
    },
  },
  {
    name: 'malformed JSON (correctly signed)',
    status: 400,
    send: (h, raw) => h.postHubSpot(null, { raw: raw.slice(0, -1), query: QUERY }),
  },
  {
    name: 'a JSON string instead of an object (correctly signed)',
    status: 400,
    send: (h, raw) => h.postHubSpot(null, { raw: JSON.stringify(raw), query: QUERY }),
  },
  {
    name: 'a JSON number instead of an object (correctly signed)',
    status: 400,
    send: (h) => h.postHubSpot(null, { raw: '42', query: QUERY }),
  },
  {
    name: 'a body over server.bodyLimit (correctly signed)',
    status: 413,
    send: (h, raw) => {
      const body = { ...(JSON.parse(raw) as Record<string, unknown>), notes: 'x'.repeat(BODY_LIMIT) };
      return h.postHubSpot(body, { query: QUERY });
    },
  },
  {
    name: 'an array of 101 events (HubSpot sends at most 100; correctly signed)',
    status: 400,
    says: /more than 100 events/,
    send: (h, raw) => {
      const objectId = Number((JSON.parse(raw) as { hs_object_id: number }).hs_object_id);
      const events = Array.from({ length: 101 }, (_, i) => ({
        eventId: 9000 + i,
        subscriptionId: 77,
        portalId: 62515,
        occurredAt: 1_700_000_000_000 + i,
        subscriptionType: 'contact.propertyChange',
        attemptNumber: 0,
        objectId,
        propertyName: 'lifecyclestage',
        propertyValue: 'marketingqualifiedlead',
        changeSource: 'CRM_UI',
      }));
      return h.postHubSpot(events);
    },
  },
];

describe.each(await testDialects())('refused HubSpot deliveries on %s', (dialect) => {
  describe('each refusal', () => {
    let h: Harness;
    let raw: string;
    beforeAll(async () => {
      h = await startHarness({ dialect, tweak: (c) => void (c.server.bodyLimit = BODY_LIMIT) });
      const id = h.sandbox.hubspot.crm.create('contacts', { firstname: 'Mallory', company: 'Replay Ltd', lifecyclestage: 'lead' }).id;
      raw = JSON.stringify({ hs_object_id: Number(id), firstname: 'Mallory' });
    });
    afterAll(async () => h?.stop());

    it.each(refusals)('$name -> $status, nothing stored, nothing billed', async ({ status, says, send }) => {
      const response = await send(h, raw);
      expect(response.status).toBe(status);
      if (says) expect(((await response.json()) as { message?: string }).message).toMatch(says);
      expect(await traces(h)).toEqual({ events: 0, renders: 0, billed: 0 });
    });
  });

  describe('the same body, correctly signed', () => {
    let h: Harness;
    afterEach(async () => h?.stop());

    it('is accepted with v1, v2 and v3 signatures and renders once per record', async () => {
      h = await startHarness({ dialect });
      const crm = h.sandbox.hubspot.crm;
      const ids = ['Ann', 'Ben', 'Cid'].map((firstname) => crm.create('contacts', { firstname, company: 'Signed Co' }).id);
      const bodies = ids.map((id) => JSON.stringify({ hs_object_id: Number(id) }));
      // v1 (app subscriptions) signs the body only, so it comes without ?campaign= and the trigger picks the campaign.
      bodies[0] = JSON.stringify([subscriptionEvent(ids[0] as string, 1)]);
      const url = webhookUrl(h);
      const secret = h.secrets.hubspotClientSecret;
      const answers = await Promise.all([
        h.postHubSpot(null, { raw: bodies[0], headers: signV1(secret, bodies[0] as string) }),
        h.postHubSpot(null, { raw: bodies[1], query: QUERY, headers: signV2(secret, 'POST', url, bodies[1] as string) }),
        h.postHubSpot(null, { raw: bodies[2], query: QUERY, headers: signV3(secret, 'POST', url, bodies[2] as string, Date.now()) }),
      ]);
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);

      await h.settled();
      for (const id of ids) expect(crm.get('contacts', id)?.properties.heygen_render_status).toBe('COMPLETED');
      const billed = h.sandbox.heygen.ledger().filter((e) => e.billed);
      expect(billed.map((e) => e.variables.first_name).sort()).toEqual(['Ann', 'Ben', 'Cid']);
    });

    it('a captured v1 delivery replayed into another campaign after its event was pruned changes nothing', async () => {
      h = await startHarness({ dialect });
      const crm = h.sandbox.hubspot.crm;
      const id = crm.create('contacts', { firstname: 'Rex', company: 'Replay Co', contract_end_date: '2027-03-01' }).id;
      const raw = JSON.stringify([subscriptionEvent(id, 42)]);
      const headers = signV1(h.secrets.hubspotClientSecret, raw);
      expect((await h.postHubSpot(null, { raw, headers })).status).toBe(200);
      await h.settled();
      expect(crm.get('contacts', id)?.properties.heygen_render_status).toBe('COMPLETED');
      const before = { traces: await traces(h), crm: crm.get('contacts', id) };

      // Retention removes the raw event, and with it the dedupe key that would have caught a replay.
      await pruneEvents(h.service.store.db, Date.now() + 1);
      const replayed = await h.postHubSpot(null, { raw, headers, query: '?campaign=renewal' });
      expect(replayed.status).toBe(401);

      await h.settled();
      expect(await traces(h)).toEqual({ ...before.traces, events: 0 });
      expect(crm.get('contacts', id)).toEqual(before.crm);
    });
  });
});

/** An app subscription event (as HubSpot sends them, v1-signed): the contact became a marketing-qualified lead. */
function subscriptionEvent(objectId: string, eventId: number): Record<string, unknown> {
  return {
    eventId,
    subscriptionId: 77,
    portalId: 62515,
    appId: 1234,
    occurredAt: 1_700_000_000_000 + eventId,
    subscriptionType: 'contact.propertyChange',
    attemptNumber: 0,
    objectId: Number(objectId),
    propertyName: 'lifecyclestage',
    propertyValue: 'marketingqualifiedlead',
    changeSource: 'CRM_UI',
  };
}
