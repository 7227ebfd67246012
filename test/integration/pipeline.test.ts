/**
 * The seed's three use cases end to end: HubSpot trigger -> HeyGen video ->
 * HubSpot write-back, over real HTTP against the sandbox, on SQLite and
 * PostgreSQL, on HubSpot's date-based (2026-03) and numbered (v3) paths.
 * What is asserted is what users see: the CRM record's properties, a link
 * that plays, and exactly one billed render; and that every HubSpot call
 * went to the paths `hubspot.apiVersion` names.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { pathVersionsOf, startHarness, testMatrix, type Harness } from '../helpers/harness.js';

describe.each(await testMatrix())('pipeline on %s, HubSpot API %s', (dialect, apiVersion) => {
  let h: Harness;
  afterEach(async () => {
    const used = h?.usedPathVersions() ?? [];
    await h?.stop();
    expect(used.length).toBeGreaterThan(0);
    for (const version of used) expect(pathVersionsOf(apiVersion)).toContain(version);
  });

  async function expectVideoInCrm(type: 'contacts' | 'deals', id: string): Promise<Record<string, string>> {
    const props = await h.waitFor(
      async () => {
        const p = h.sandbox.hubspot.crm.get(type, id)?.properties;
        return p?.heygen_render_status === 'COMPLETED' ? p : undefined;
      },
      20_000,
      `${type}/${id} to show COMPLETED`,
    );
    expect(props.heygen_job_id).toMatch(/\S/);
    expect(props.heygen_video_url).toMatch(new RegExp(`^${h.env.publicUrl}/v/`));
    // The stable link redirects to a HeyGen file that plays.
    const video = await fetch(props.heygen_video_url as string);
    expect(video.status).toBe(200);
    return props;
  }

  it('qualified lead -> intro video: a subscription event renders once and writes COMPLETED with a working link', async () => {
    h = await startHarness({ dialect, apiVersion });
    const id = h.sandbox.hubspot.crm.create('contacts', { firstname: 'Ada', company: 'Analytical Engines', lifecyclestage: 'lead' }).id;
    h.sandbox.hubspot.webhooks.setSubscriptions([{ subscriptionType: 'contact.propertyChange', propertyName: 'lifecyclestage' }]);
    h.sandbox.hubspot.crm.update('contacts', id, { lifecyclestage: 'marketingqualifiedlead' });

    const props = await expectVideoInCrm('contacts', id);
    const ledger = h.sandbox.heygen.ledger();
    expect(ledger.filter((e) => e.billed || e.status !== 'failed')).toHaveLength(1);
    expect(ledger[0]?.video_id).toBe(props.heygen_job_id);
    expect(ledger[0]?.variables).toMatchObject({ first_name: 'Ada', company_name: 'Analytical Engines' });
  });

  it('closed won -> onboarding video for the deal\'s primary contact, written to the deal', async () => {
    h = await startHarness({ dialect, apiVersion });
    const crm = h.sandbox.hubspot.crm;
    const contact = crm.create('contacts', { firstname: 'Grace', company: 'Navy Labs' }).id;
    const deal = crm.create('deals', { dealname: 'Navy Labs - Scale', dealstage: 'contractsent', package_name: 'Scale' }).id;
    crm.associate('deals', deal, 'contacts', contact, { primary: true });
    h.sandbox.hubspot.webhooks.setSubscriptions([{ subscriptionType: 'deal.propertyChange', propertyName: 'dealstage' }]);
    crm.update('deals', deal, { dealstage: 'closedwon' });

    await expectVideoInCrm('deals', deal);
    const ledger = h.sandbox.heygen.ledger();
    expect(ledger).toHaveLength(1);
    expect(ledger[0]?.variables).toMatchObject({ first_name: 'Grace', package_name: 'Scale' });
  });

  it('renewal via a workflow webhook (?campaign=renewal), signed v2 as HubSpot workflows sign', async () => {
    h = await startHarness({ dialect, apiVersion });
    const crm = h.sandbox.hubspot.crm;
    const contact = crm.create('contacts', { firstname: 'Linus', company: 'Kernel Co', contract_end_date: '2027-01-26' }).id;
    const company = crm.create('companies', { name: 'Kernel Co', usage_hours: '321' }).id;
    crm.associate('contacts', contact, 'companies', company, { primary: true });
    const outcome = await h.sandbox.hubspot.webhooks.sendWorkflow({ objectType: 'contacts', objectId: contact, campaign: 'renewal' });
    expect(outcome.delivered).toBe(true);

    await expectVideoInCrm('contacts', contact);
    const ledger = h.sandbox.heygen.ledger();
    expect(ledger).toHaveLength(1);
    expect(ledger[0]?.variables).toMatchObject({ first_name: 'Linus', renewal_date: '2027-01-26', usage_hours: '321' });
  });

  it('duplicate deliveries and repeated triggers bill one render per distinct record', async () => {
    h = await startHarness({ dialect, apiVersion, sandbox: { hubspot: { webhooks: { duplicateRate: 0.5, shuffle: true } } } });
    const crm = h.sandbox.hubspot.crm;
    h.sandbox.hubspot.webhooks.setSubscriptions([{ subscriptionType: 'contact.propertyChange', propertyName: 'lifecyclestage' }]);
    const ids = Array.from({ length: 12 }, (_, i) => crm.create('contacts', { firstname: `P${i}`, company: 'Dup Inc', lifecyclestage: 'lead' }).id);
    crm.updateMany('contacts', ids.map((id) => ({ id, properties: { lifecyclestage: 'marketingqualifiedlead' } })));
    await h.sandbox.hubspot.webhooks.drain();
    // The same records qualify again (back to lead, then MQL): same inputs, no new render.
    crm.updateMany('contacts', ids.map((id) => ({ id, properties: { lifecyclestage: 'lead' } })));
    crm.updateMany('contacts', ids.map((id) => ({ id, properties: { lifecyclestage: 'marketingqualifiedlead' } })));
    await h.sandbox.hubspot.webhooks.drain();
    await h.settled();

    for (const id of ids) expect(crm.get('contacts', id)?.properties.heygen_render_status).toBe('COMPLETED');
    const billed = h.sandbox.heygen.ledger().filter((e) => e.billed);
    expect(billed).toHaveLength(ids.length);
    expect(new Set(billed.map((e) => e.callback_id)).size).toBe(ids.length);
  });

  it('placeholder data is skipped with the reason in the CRM and spends no credit', async () => {
    h = await startHarness({ dialect, apiVersion });
    const crm = h.sandbox.hubspot.crm;
    const junk = crm.create('contacts', { firstname: ' n/a ', company: 'Nowhere' }).id;
    const response = await h.postHubSpot({ hs_object_id: Number(junk), firstname: 'n/a' }, { query: '?campaign=bdr-intro' });
    expect(response.status).toBe(200);
    const props = await h.waitFor(async () => {
      const current = crm.get('contacts', junk)?.properties;
      return current?.heygen_render_error ? current : undefined;
    });
    expect(props.heygen_render_error).toMatch(/^SKIPPED: first_name: .*placeholder/);
    expect(props.heygen_render_status).toBeUndefined();
    expect(h.sandbox.heygen.ledger()).toHaveLength(0);
  });
});
