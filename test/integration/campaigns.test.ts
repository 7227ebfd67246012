/**
 * Campaigns for every object: trigger kinds, conditions on the fetched
 * record, recipients fanned out through associations, and where results are
 * written. Asserted on the sandbox CRM and HeyGen's ledger.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { pathVersionsOf, startHarness, testMatrix, type Harness } from '../helpers/harness.js';

const CONFIG = `
heygen: { concurrency: 3, callbackGrace: 2s, pollEvery: 1s }
hubspot: { batchDelay: 20ms }
worker: { idleDelay: 50ms, retryBase: 100ms, retryCap: 2s }
campaigns:
  - id: won-all
    object: deals
    trigger: { property: dealstage, changedTo: closedwon }
    conditions: [{ property: amount, exists: true }]
    recipients: { to: contacts, which: all, filter: [{ property: email, exists: true }] }
    writeback: both
    template: tpl_onboarding
    title: "Welcome {{recipient.firstname}} ({{record.dealname}})"
    variables:
      first_name: { property: firstname, from: recipient, required: true }
      company_name: { property: dealname, from: deal }
      package_name: { property: package_name, from: record, fallback: "your plan" }
  - id: sql-primary
    object: deals
    trigger: { property: dealstage, in: [contractsent] }
    recipients: { to: contacts, which: primary }
    template: tpl_onboarding
    variables:
      first_name: { property: firstname, from: recipient, required: true }
      company_name: { property: dealname, from: deal }
      package_name: { property: package_name, fallback: "your plan" }
  - id: company-renewal
    object: companies
    trigger: { property: industry, equals: COMPUTER_SOFTWARE }
    conditions: [{ property: usage_hours, exists: true }]
    template: tpl_renewal
    variables:
      first_name: { property: name, required: true }
      company_name: { property: name }
      renewal_date: { property: contract_end_date, fallback: "soon" }
      usage_hours: { property: usage_hours }
  - id: customers
    object: contacts
    trigger: { property: lifecyclestage, equals: customer }
    conditions: [{ property: hs_lead_status, notIn: [UNQUALIFIED] }]
    template: tpl_bdr_intro
    variables:
      first_name: { property: firstname, required: true }
      company_name: { property: company, fallback: "your team" }
      conversion_event: { property: recent_conversion_event_name, fallback: "your visit" }
`;

/** Recipients come through associations: read on every database and both HubSpot path tables. */
describe.each(await testMatrix())('recipients through associations on %s, HubSpot API %s', (dialect, apiVersion) => {
  let h: Harness;
  afterEach(async () => {
    const used = h?.usedPathVersions() ?? [];
    await h?.stop();
    expect(used).toEqual(pathVersionsOf(apiVersion));
  });

  it('a deal with three contacts renders three videos (one per contact with an e-mail), written to each contact and the deal', async () => {
    h = await startHarness({ config: CONFIG, dialect, apiVersion });
    const crm = h.sandbox.hubspot.crm;
    h.sandbox.hubspot.webhooks.setSubscriptions([{ subscriptionType: 'deal.propertyChange', propertyName: 'dealstage' }]);
    const deal = crm.create('deals', { dealname: 'Acme - Scale', dealstage: 'appointmentscheduled', pipeline: 'default', package_name: 'Scale', amount: '24000' }).id;
    const contacts = ['Ada', 'Brian', 'Cleo'].map((name) => crm.create('contacts', { firstname: name, email: `${name.toLowerCase()}@acme.test` }).id);
    const noEmail = crm.create('contacts', { firstname: 'Dora' }).id;
    for (const c of [...contacts, noEmail]) crm.associate('deals', deal, 'contacts', c);
    crm.update('deals', deal, { dealstage: 'closedwon' });
    await h.sandbox.hubspot.webhooks.drain();
    await h.settled();

    const billed = h.sandbox.heygen.ledger().filter((e) => e.billed);
    expect(billed.map((e) => e.variables.first_name).sort()).toEqual(['Ada', 'Brian', 'Cleo']);
    expect(billed.every((e) => e.variables.company_name === 'Acme - Scale' && e.variables.package_name === 'Scale')).toBe(true);
    for (const c of contacts) expect(crm.get('contacts', c)?.properties.heygen_render_status).toBe('COMPLETED');
    expect(crm.get('contacts', noEmail)?.properties.heygen_render_status).toBeUndefined();
    expect(crm.get('deals', deal)?.properties.heygen_render_status).toBe('COMPLETED');
  });

  it('recipients: primary renders one video for the primary contact only', async () => {
    h = await startHarness({ config: CONFIG, dialect, apiVersion });
    const crm = h.sandbox.hubspot.crm;
    h.sandbox.hubspot.webhooks.setSubscriptions([{ subscriptionType: 'deal.propertyChange', propertyName: 'dealstage' }]);
    const deal = crm.create('deals', { dealname: 'Globex - Growth', dealstage: 'appointmentscheduled', pipeline: 'default' }).id;
    const [first, primary, third] = ['Eve', 'Finn', 'Gus'].map((name) => crm.create('contacts', { firstname: name }).id);
    crm.associate('deals', deal, 'contacts', first!);
    crm.associate('deals', deal, 'contacts', primary!, { primary: true });
    crm.associate('deals', deal, 'contacts', third!);
    crm.update('deals', deal, { dealstage: 'contractsent' });
    await h.sandbox.hubspot.webhooks.drain();
    await h.settled();

    expect(h.sandbox.heygen.ledger().map((e) => e.variables.first_name)).toEqual(['Finn']);
    expect(crm.get('contacts', primary!)?.properties.heygen_render_status).toBe('COMPLETED');
    expect(crm.get('contacts', first!)?.properties.heygen_render_status).toBeUndefined();
  });
});

describe('campaigns, triggers and recipients', () => {
  let h: Harness;
  afterEach(async () => h?.stop());

  it('changedTo ignores a record created with the value; conditions skip with the reason', async () => {
    h = await startHarness({ config: CONFIG });
    const crm = h.sandbox.hubspot.crm;
    // Created before any subscription exists: only the creation event below speaks of it.
    const bornWon = crm.create('deals', { dealname: 'Born Won', dealstage: 'closedwon', pipeline: 'default', amount: '100' }).id;
    h.sandbox.hubspot.webhooks.setSubscriptions([
      { subscriptionType: 'deal.propertyChange', propertyName: 'dealstage' },
      { subscriptionType: 'contact.propertyChange', propertyName: 'lifecyclestage' },
    ]);
    const otherPipeline = crm.create('deals', { dealname: 'No Amount', dealstage: 'appointmentscheduled', pipeline: 'default' }).id;
    crm.associate('deals', otherPipeline, 'contacts', crm.create('contacts', { firstname: 'Hal', email: 'hal@x.test' }).id);
    crm.update('deals', otherPipeline, { dealstage: 'closedwon' });
    const unqualified = crm.create('contacts', { firstname: 'Ivy', hs_lead_status: 'UNQUALIFIED', lifecyclestage: 'lead' }).id;
    crm.update('contacts', unqualified, { lifecyclestage: 'customer' });
    // A creation event carrying the value is not a change to it.
    const creation = [{ eventId: 1, subscriptionId: 1, portalId: 62515, appId: 1, occurredAt: Date.now(), subscriptionType: 'deal.creation', attemptNumber: 0, objectId: Number(bornWon), propertyName: 'dealstage', propertyValue: 'closedwon', changeSource: 'CRM_UI' }];
    expect((await h.postHubSpot(creation)).status).toBe(200);
    await h.sandbox.hubspot.webhooks.drain();
    await h.settled();

    expect(h.sandbox.heygen.ledger()).toHaveLength(0);
    const ignored = await h.service.store.db.selectFrom('events').select(['status', 'reason']).where('object_id', '=', bornWon).execute();
    expect(ignored).toEqual([{ status: 'ignored', reason: expect.stringMatching(/no campaign triggers on deals\.dealstage/) }]);
    expect(crm.get('deals', otherPipeline)?.properties.heygen_render_error).toMatch(/^SKIPPED: amount has no usable value/);
    expect(crm.get('contacts', unqualified)?.properties.heygen_render_error).toMatch(/^SKIPPED: hs_lead_status is "UNQUALIFIED"/);
  });

  it('a company campaign renders for the company and writes to it', async () => {
    h = await startHarness({ config: CONFIG });
    const crm = h.sandbox.hubspot.crm;
    h.sandbox.hubspot.webhooks.setSubscriptions([{ subscriptionType: 'company.propertyChange', propertyName: 'industry' }]);
    const company = crm.create('companies', { name: 'Initech', usage_hours: '120', industry: 'FINANCIAL_SERVICES' }).id;
    crm.update('companies', company, { industry: 'COMPUTER_SOFTWARE' });
    await h.sandbox.hubspot.webhooks.drain();
    await h.settled();

    expect(crm.get('companies', company)?.properties.heygen_render_status).toBe('COMPLETED');
    expect(h.sandbox.heygen.ledger()[0]?.variables).toMatchObject({ first_name: 'Initech', usage_hours: '120', renewal_date: 'soon' });
  });
});
