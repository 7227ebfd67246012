/**
 * What the HubSpot sandbox no longer hides (API mismatch 7):
 * - a workflow's customised body carries only the keys its admin mapped, under
 *   the names the admin gave them: Reelay reads the record id from
 *   `hs_object_id`, `objectId`, `vid` or `id`, and a body with no id at all is
 *   a clear 400 that HubSpot does not retry and that changes nothing;
 * - v3 signatures cover the URI with some escapes decoded: a subscription
 *   delivered to a URL with `%3A` and friends in its query is accepted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../helpers/databases.js';
import { startHarness, type Harness } from '../helpers/harness.js';

describe.each(await testDialects())('HubSpot workflow bodies and v3 URIs on %s', (dialect) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ dialect });
  });
  afterAll(async () => h?.stop());

  async function traces(): Promise<{ events: number; renders: number; billed: number }> {
    const db = h.service.store.db;
    const events = await db.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const renders = await db.selectFrom('renders').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return { events: Number(events.n), renders: Number(renders.n), billed: h.sandbox.heygen.ledger().length };
  }

  const status = (id: string): string | undefined => h.sandbox.hubspot.crm.get('contacts', id)?.properties.heygen_render_status;

  it.each(['hs_object_id', 'objectId', 'vid', 'id'])('a body whose admin mapped the record id as "%s" renders the record', async (key) => {
    const id = h.sandbox.hubspot.crm.create('contacts', { firstname: `Key ${key}`, company: 'Mapped Co' }).id;
    const outcome = await h.sandbox.hubspot.webhooks.sendWorkflow({
      objectType: 'contacts',
      objectId: id,
      campaign: 'bdr-intro',
      properties: { [key]: 'hs_object_id', first_name: 'firstname' },
    });
    expect(outcome).toEqual({ delivered: true, attempts: 1, lastStatus: 200 });
    await h.settled();
    expect(status(id)).toBe('COMPLETED');
    expect(h.sandbox.heygen.ledger().filter((e) => e.billed && e.variables.first_name === `Key ${key}`)).toHaveLength(1);
  });

  it('a body with no record id mapped gets one clear 400, is not retried, and changes nothing', async () => {
    const id = h.sandbox.hubspot.crm.create('contacts', { firstname: 'Noid', email: 'noid@example.com' }).id;
    await h.settled();
    const before = await traces();
    const outcome = await h.sandbox.hubspot.webhooks.sendWorkflow({ objectType: 'contacts', objectId: id, campaign: 'bdr-intro', properties: ['email', 'firstname'] });
    expect(outcome).toEqual({ delivered: false, attempts: 1, lastStatus: 400 });
    expect(await traces()).toEqual(before);
    expect(status(id)).toBeUndefined();

    const answer = await h.postHubSpot({ email: 'noid@example.com', firstname: 'Noid' }, { query: '?campaign=bdr-intro' });
    expect(answer.status).toBe(400);
    expect(((await answer.json()) as { message: string }).message).toBe('workflow body carries no record id (hs_object_id, objectId, vid or id)');
    expect(await traces()).toEqual(before);
  });

  it('a v3-signed subscription delivery to a URL with escapes in its query is accepted', async () => {
    const webhooks = h.sandbox.hubspot.webhooks;
    const target = webhooks.target();
    webhooks.configure({ signatureVersion: 'v3' });
    webhooks.setTarget(`${h.env.publicUrl}/webhooks/hubspot?campaign=renewal&x=a%3Ab&y=c%2Fd%40e%20f`);
    webhooks.setSubscriptions([{ subscriptionType: 'contact.propertyChange', propertyName: 'lifecyclestage' }]);
    try {
      const id = h.sandbox.hubspot.crm.create('contacts', { firstname: 'Esc', contract_end_date: '2027-03-01' }).id;
      h.sandbox.hubspot.crm.update('contacts', id, { lifecyclestage: 'customer' });
      await webhooks.drain();
      expect(webhooks.log().filter((entry) => entry.kind === 'subscription').map((entry) => entry.status)).not.toContain(401);
      await h.settled();
      expect(status(id)).toBe('COMPLETED');
      const renders = await h.service.store.db.selectFrom('renders').select(['campaign_id', 'state']).where('object_id', '=', id).execute();
      expect(renders).toEqual([{ campaign_id: 'renewal', state: 'completed' }]);
    } finally {
      webhooks.setSubscriptions([]);
      webhooks.setTarget(target);
    }
  });
});
