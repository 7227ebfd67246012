/**
 * HubSpot's generic subscription events (`object.propertyChange`,
 * `object.creation`, naming the object by `objectTypeId`) trigger campaigns
 * exactly as the legacy `contact.propertyChange` form does: the sandbox
 * delivers each form (and both mixed in one delivery) over real HTTP, signed,
 * with duplicates and shuffling, and the three seed campaigns render once
 * each, on SQLite and PostgreSQL. Object types Reelay does not serve are
 * answered 2xx and ignored, with a debug line naming them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SubscriptionEventForm } from '../../src/sandbox/hubspot/webhooks/settings.js';
import { ACCOUNT_ZONE_KEY } from '../../src/engine/account-zone.js';
import { getMeta } from '../../src/store/meta.js';
import { testDialects } from '../helpers/databases.js';
import { startHarness, type Harness } from '../helpers/harness.js';

const forms: SubscriptionEventForm[] = ['generic', 'legacy', 'mixed'];
const matrix = (await testDialects()).flatMap((dialect) => forms.map((form) => [dialect, form] as const));

async function storedSubscriptionTypes(h: Harness): Promise<Set<string>> {
  const rows = await h.service.store.db.selectFrom('events').select('payload').where('kind', '=', 'subscription').execute();
  return new Set(rows.map((r) => String((JSON.parse(r.payload) as { subscriptionType?: unknown }).subscriptionType)));
}

describe.each(matrix)('seed campaigns on %s from %s subscription events', (dialect, form) => {
  let h: Harness;
  afterEach(async () => h?.stop());

  it('intro, onboarding and renewal each render once and land in the CRM', async () => {
    h = await startHarness({
      dialect,
      sandbox: { hubspot: { timeZone: 'America/New_York', webhooks: { eventForm: form, duplicateRate: 1, shuffle: true } } },
    });
    const crm = h.sandbox.hubspot.crm;
    const hooks = h.sandbox.hubspot.webhooks;
    hooks.setSubscriptions([
      { subscriptionType: 'object.propertyChange', objectType: 'contact', propertyName: 'lifecyclestage' },
      { subscriptionType: 'object.propertyChange', objectTypeId: '0-3', propertyName: 'dealstage' },
    ]);
    const ada = crm.create('contacts', { firstname: 'Ada', company: 'Analytical Engines', lifecyclestage: 'lead' }).id;
    const grace = crm.create('contacts', { firstname: 'Grace', company: 'Navy Labs' }).id;
    const deal = crm.create('deals', { dealname: 'Navy Labs - Scale', dealstage: 'contractsent', package_name: 'Scale' }).id;
    crm.associate('deals', deal, 'contacts', grace, { primary: true });
    const linus = crm.create('contacts', { firstname: 'Linus', company: 'Kernel Co' }).id;
    const company = crm.create('companies', { name: 'Kernel Co', usage_hours: '321' }).id;
    crm.associate('contacts', linus, 'companies', company, { primary: true });
    crm.update('contacts', ada, { lifecyclestage: 'marketingqualifiedlead' });
    crm.update('deals', deal, { dealstage: 'closedwon' });
    await hooks.drain();
    // Renewal has no trigger property: the subscription's URL names the campaign.
    hooks.setTarget(`${hooks.target() ?? ''}?campaign=renewal`);
    hooks.setSubscriptions([{ subscriptionType: 'object.propertyChange', objectType: 'contact', propertyName: 'contract_end_date' }]);
    crm.update('contacts', linus, { contract_end_date: '2027-01-26' });
    await hooks.drain();
    await h.settled();

    for (const [type, id] of [['contacts', ada], ['deals', deal], ['contacts', linus]] as const) {
      expect(crm.get(type, id)?.properties.heygen_render_status, `${type}/${id}`).toBe('COMPLETED');
    }
    const billed = h.sandbox.heygen.ledger().filter((e) => e.billed);
    expect(billed.map((e) => e.template_id).sort()).toEqual(['tpl_bdr_intro', 'tpl_onboarding', 'tpl_renewal']);
    expect(billed.find((e) => e.template_id === 'tpl_onboarding')?.variables).toMatchObject({ first_name: 'Grace', package_name: 'Scale' });
    expect(billed.find((e) => e.template_id === 'tpl_renewal')?.variables).toMatchObject({ first_name: 'Linus', usage_hours: '321' });
    // Every event was delivered twice.
    const delivered = h.sandbox.hubspot.stats().webhooks.subscription;
    expect(delivered.duplicatesInjected).toBe(delivered.events);

    // The events really came in the form under test.
    const kinds = [...(await storedSubscriptionTypes(h))].map((t) => (t.startsWith('object.') ? 'generic' : 'legacy'));
    expect(new Set(kinds)).toEqual(new Set(form === 'mixed' ? ['generic', 'legacy'] : [form]));
    // HubSpot's daily limit is counted from the portal's midnight, remembered for the next start.
    expect(await h.service.dailyResetZone).toBe('America/New_York');
    expect(await getMeta(h.service.store, ACCOUNT_ZONE_KEY)).toBe('America/New_York');
  });
});

describe('the account\'s time zone when account-info fails', () => {
  let h: Harness;
  afterEach(async () => h?.stop());

  it('serve starts anyway, counts the day from midnight UTC and says so in a warning', async () => {
    h = await startHarness({ sandbox: { hubspot: { timeZone: 'Asia/Tokyo', faults: { errorRate: 1, operations: ['account.details'] } } } });
    expect(await h.service.dailyResetZone).toBe('UTC');
    expect(h.logs()).toMatch(/"level":40.*could not read the HubSpot account's time zone.*counted from midnight UTC/);
    // Nothing else failed: the CRM properties were set up through the same client.
    expect(h.sandbox.hubspot.crm.properties.get('contacts', 'heygen_render_status')).toBeDefined();
  });
});

describe.each(await testDialects())('one delivery with both forms and unknown object types on %s', (dialect) => {
  let h: Harness;
  afterEach(async () => h?.stop());

  it('renders for the legacy and the generic event, matches values, ignores 0-7 and 2-12345 with a 2xx and a debug line, and dedupes a redelivery', async () => {
    h = await startHarness({ dialect, logLevel: 'debug' });
    const crm = h.sandbox.hubspot.crm;
    const first = crm.create('contacts', { firstname: 'Ada', company: 'One' }).id;
    const second = crm.create('contacts', { firstname: 'Bea', company: 'Two' }).id;
    const third = crm.create('contacts', { firstname: 'Cid', company: 'Three' }).id;
    const base = { portalId: 62515, appId: 1160452, occurredAt: Date.now(), attemptNumber: 0, changeSource: 'CRM_UI', propertyName: 'lifecyclestage', propertyValue: 'marketingqualifiedlead' };
    const delivery = [
      { ...base, eventId: 11, subscriptionId: 1, subscriptionType: 'contact.propertyChange', objectId: Number(first) },
      { ...base, eventId: 12, subscriptionId: 2, subscriptionType: 'object.propertyChange', objectTypeId: '0-1', objectId: Number(second) },
      { ...base, eventId: 13, subscriptionId: 3, subscriptionType: 'object.propertyChange', objectTypeId: '0-7', objectId: 77 },
      { ...base, eventId: 14, subscriptionId: 4, subscriptionType: 'object.creation', objectTypeId: '2-12345', objectId: 78, changeFlag: 'NEW' },
      // Generic events are matched on property and value like legacy ones: these two start nothing.
      { ...base, eventId: 15, subscriptionId: 2, subscriptionType: 'object.propertyChange', objectTypeId: '0-1', objectId: Number(third), propertyValue: 'lead' },
      { ...base, eventId: 16, subscriptionId: 5, subscriptionType: 'object.propertyChange', objectTypeId: '0-1', objectId: Number(third), propertyName: 'firstname', propertyValue: 'Cid' },
    ];
    const response = await h.postHubSpot(delivery);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ accepted: 2, duplicates: 0, ignored: 4 });
    // HubSpot retries the same events with attemptNumber counting up: nothing new.
    const again = await h.postHubSpot(delivery.map((e) => ({ ...e, attemptNumber: 1 })));
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ accepted: 0, duplicates: 6, ignored: 0 });
    await h.settled();

    expect(crm.get('contacts', first)?.properties.heygen_render_status).toBe('COMPLETED');
    expect(crm.get('contacts', second)?.properties.heygen_render_status).toBe('COMPLETED');
    expect(crm.get('contacts', third)?.properties.heygen_render_status).toBeUndefined();
    expect(h.sandbox.heygen.ledger().filter((e) => e.billed).map((e) => e.variables.first_name).sort()).toEqual(['Ada', 'Bea']);
    const debug = h.logs().split('\n').filter((line) => line.includes('"level":20') && line.includes('events ignored'));
    expect(debug).toHaveLength(1);
    expect(debug[0]).toContain('unknown object type 0-7 in object.propertyChange');
    expect(debug[0]).toContain('unknown object type 2-12345 in object.creation');
  });
});
