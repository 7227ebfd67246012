/**
 * `POST /webhooks/hubspot` deliveries that are answered 2xx but start
 * nothing new: HubSpot must stop retrying them, and the store must say why
 * (an `ignored` event with its reason) or recognise them (a duplicate).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { testDialects } from '../helpers/databases.js';
import { startHarness, type Harness } from '../helpers/harness.js';

interface StoredEvent {
  status: string;
  reason: string | null;
  campaign_id: string | null;
  object_id: string | null;
}

async function hubspotEvents(h: Harness): Promise<StoredEvent[]> {
  return h.service.store.db
    .selectFrom('events')
    .select(['status', 'reason', 'campaign_id', 'object_id'])
    .where('source', '=', 'hubspot')
    .orderBy('id')
    .execute();
}

async function renderCount(h: Harness): Promise<number> {
  const row = await h.service.store.db.selectFrom('renders').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

function propertyChange(objectId: string, propertyName: string, propertyValue: string, extra: Record<string, unknown> = {}) {
  return {
    eventId: 4242,
    subscriptionId: 77,
    portalId: 62515,
    appId: 1160452,
    occurredAt: 1_760_000_000_000,
    subscriptionType: 'contact.propertyChange',
    attemptNumber: 0,
    objectId: Number(objectId),
    propertyName,
    propertyValue,
    changeSource: 'CRM_UI',
    ...extra,
  };
}

describe.each(await testDialects())('acknowledged HubSpot deliveries on %s', (dialect) => {
  let h: Harness;
  afterEach(async () => h?.stop());

  async function contact(firstname = 'Quinn'): Promise<string> {
    return h.sandbox.hubspot.crm.create('contacts', { firstname, company: 'Quiet Co', lifecyclestage: 'lead' }).id;
  }

  it('an unknown ?campaign= is answered 2xx (so HubSpot stops retrying), stored ignored with the reason, and renders nothing', async () => {
    h = await startHarness({ dialect });
    const id = await contact();
    const response = await h.postHubSpot({ hs_object_id: Number(id) }, { query: '?campaign=no-such-campaign' });
    expect(response.status).toBe(200);
    expect(await hubspotEvents(h)).toEqual([
      { status: 'ignored', reason: 'unknown campaign no-such-campaign', campaign_id: 'no-such-campaign', object_id: id },
    ]);
    expect(await renderCount(h)).toBe(0);
    expect(h.sandbox.heygen.ledger()).toEqual([]);
    expect(h.sandbox.hubspot.crm.get('contacts', id)?.properties.heygen_render_status).toBeUndefined();
  });

  it.each([
    {
      what: 'a property change no campaign triggers on',
      event: (id: string) => propertyChange(id, 'lifecyclestage', 'customer'),
      reason: 'no campaign triggers on contacts.lifecyclestage = "customer"',
    },
    {
      what: 'a change of a property no trigger watches',
      event: (id: string) => propertyChange(id, 'jobtitle', 'marketingqualifiedlead'),
      reason: 'no campaign triggers on contacts.jobtitle = "marketingqualifiedlead"',
    },
    {
      what: 'a deletion event',
      event: (id: string) => ({ ...propertyChange(id, 'lifecyclestage', 'marketingqualifiedlead'), subscriptionType: 'contact.deletion' }),
      reason: 'contact.deletion events do not start renders',
    },
  ])('$what is answered 2xx and stored ignored with the reason', async ({ event, reason }) => {
    h = await startHarness({ dialect });
    const id = await contact();
    const response = await h.postHubSpot([event(id)]);
    expect(response.status).toBe(200);
    const [stored, ...more] = await hubspotEvents(h);
    expect(more).toEqual([]);
    expect(stored).toMatchObject({ status: 'ignored', reason, object_id: id });
    expect(await renderCount(h)).toBe(0);
    expect(h.sandbox.heygen.ledger()).toEqual([]);
  });

  it('the same workflow body delivered twice is 2xx both times and renders once', async () => {
    h = await startHarness({ dialect });
    const id = await contact('Dana');
    const body = { hs_object_id: Number(id), firstname: 'Dana', company: 'Quiet Co' };
    const first = await h.postHubSpot(body, { query: '?campaign=bdr-intro' });
    const second = await h.postHubSpot(body, { query: '?campaign=bdr-intro' });
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(await second.json()).toMatchObject({ accepted: 0, duplicates: 1 });

    await h.settled();
    expect(h.sandbox.hubspot.crm.get('contacts', id)?.properties.heygen_render_status).toBe('COMPLETED');
    expect(await renderCount(h)).toBe(1);
    expect(await hubspotEvents(h)).toHaveLength(1);
    expect(h.sandbox.heygen.ledger().filter((e) => e.billed)).toHaveLength(1);
  });

  it('a subscription event redelivered by HubSpot (higher attemptNumber, same event) renders once', async () => {
    h = await startHarness({ dialect });
    const id = await contact('Eli');
    const first = await h.postHubSpot([propertyChange(id, 'lifecyclestage', 'marketingqualifiedlead')]);
    const retried = await h.postHubSpot([propertyChange(id, 'lifecyclestage', 'marketingqualifiedlead', { attemptNumber: 1 })]);
    expect([first.status, retried.status]).toEqual([200, 200]);

    await h.settled();
    expect(h.sandbox.hubspot.crm.get('contacts', id)?.properties.heygen_render_status).toBe('COMPLETED');
    expect(await renderCount(h)).toBe(1);
    const billed = h.sandbox.heygen.ledger().filter((e) => e.billed);
    expect(billed).toHaveLength(1);
    expect(billed[0]?.variables.first_name).toBe('Eli');
  });
});
