/**
 * HeyGen's legacy v2 API (`heygen.api: v2`, as in the seed guide): the three
 * seed use cases end COMPLETED in the CRM with one billed v2 render each.
 * v2 has no Idempotency-Key, so "billed once" here rests on our own dedupe.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.js';

describe('HeyGen v2 API', () => {
  let h: Harness;
  afterEach(async () => h?.stop());

  async function completed(type: 'contacts' | 'deals', id: string): Promise<Record<string, string>> {
    return h.waitFor(
      async () => {
        const p = h.sandbox.hubspot.crm.get(type, id)?.properties;
        return p?.heygen_render_status === 'COMPLETED' ? p : undefined;
      },
      20_000,
      `${type}/${id} to show COMPLETED`,
    );
  }

  it('renders the three seed use cases through v2, once each, and writes COMPLETED with a working link', async () => {
    h = await startHarness({ tweak: (c) => void (c.heygen.api = 'v2') });
    const crm = h.sandbox.hubspot.crm;

    // 1. qualified lead (app subscription event)
    const lead = crm.create('contacts', { firstname: 'Ada', company: 'Analytical Engines', lifecyclestage: 'lead' }).id;
    // 2. closed-won deal, video for its primary contact
    const buyer = crm.create('contacts', { firstname: 'Grace', company: 'Navy Labs' }).id;
    const deal = crm.create('deals', { dealname: 'Navy Labs - Scale', dealstage: 'contractsent', package_name: 'Scale' }).id;
    crm.associate('deals', deal, 'contacts', buyer, { primary: true });
    // 3. renewal (workflow webhook naming its campaign)
    const renewing = crm.create('contacts', { firstname: 'Linus', company: 'Kernel Co', contract_end_date: '2027-01-26' }).id;

    h.sandbox.hubspot.webhooks.setSubscriptions([
      { subscriptionType: 'contact.propertyChange', propertyName: 'lifecyclestage' },
      { subscriptionType: 'deal.propertyChange', propertyName: 'dealstage' },
    ]);
    crm.update('contacts', lead, { lifecyclestage: 'marketingqualifiedlead' });
    crm.update('deals', deal, { dealstage: 'closedwon' });
    const workflow = await h.sandbox.hubspot.webhooks.sendWorkflow({ objectType: 'contacts', objectId: renewing, campaign: 'renewal' });
    expect(workflow.delivered).toBe(true);

    const results = [await completed('contacts', lead), await completed('deals', deal), await completed('contacts', renewing)];
    await h.settled();
    await h.sandbox.heygen.drain();

    const ledger = h.sandbox.heygen.ledger();
    expect(ledger).toHaveLength(3);
    expect(ledger.every((e) => e.api === 'v2' && e.billed)).toBe(true);
    expect(new Set(ledger.map((e) => e.template_id))).toEqual(new Set(['tpl_bdr_intro', 'tpl_onboarding', 'tpl_renewal']));
    expect(results.map((p) => p.heygen_job_id).sort()).toEqual(ledger.map((e) => e.video_id).sort());
    for (const props of results) {
      expect(props.heygen_video_url).toMatch(new RegExp(`^${h.env.publicUrl}/v/`));
      expect((await fetch(props.heygen_video_url as string)).status).toBe(200);
    }
  });

  it('an operator retry after HeyGen failed the render creates a new video, never re-adopting the failed one', async () => {
    h = await startHarness({ tweak: (c) => void (c.heygen.api = 'v2') });
    h.sandbox.heygen.control.setFaults({ failRate: 1, failCodes: ['RENDER_FAILED'] });
    const id = h.sandbox.hubspot.crm.create('contacts', { firstname: 'Rhea', company: 'Second Try' }).id;
    expect((await h.postHubSpot({ hs_object_id: Number(id) }, { query: '?campaign=bdr-intro' })).status).toBe(200);
    await h.settled();
    expect(h.sandbox.hubspot.crm.get('contacts', id)?.properties.heygen_render_status).toBe('FAILED');
    const [failed] = await h.service.store.db.selectFrom('renders').selectAll().execute();
    h.sandbox.heygen.control.setFaults({ failRate: 0 });

    const retried = await fetch(`${h.env.publicUrl}/api/renders/${failed?.id}/retry`, {
      method: 'POST',
      headers: { authorization: `Bearer ${h.secrets.adminToken}` },
    });
    expect(retried.status).toBe(200);
    await h.settled();

    const props = h.sandbox.hubspot.crm.get('contacts', id)?.properties ?? {};
    expect(props.heygen_render_status).toBe('COMPLETED');
    const ledger = h.sandbox.heygen.ledger();
    expect(ledger.map((e) => [e.callback_id, e.status])).toEqual([
      [failed?.render_key, 'failed'],
      [`${failed?.render_key}:2`, 'completed'],
    ]);
    expect(props.heygen_job_id).toBe(ledger[1]?.video_id);
  });

  it('a repeated trigger of the same record does not render a second time on v2', async () => {
    h = await startHarness({ tweak: (c) => void (c.heygen.api = 'v2') });
    const id = h.sandbox.hubspot.crm.create('contacts', { firstname: 'Tess', company: 'Twice Inc' }).id;
    for (let i = 0; i < 2; i++) {
      // Different bodies (a new key each time), same record and same inputs: the render key dedupes them.
      expect((await h.postHubSpot({ hs_object_id: Number(id), attempt: i }, { query: '?campaign=bdr-intro' })).status).toBe(200);
      await h.settled();
    }
    expect(h.sandbox.hubspot.crm.get('contacts', id)?.properties.heygen_render_status).toBe('COMPLETED');
    expect(h.sandbox.heygen.ledger().filter((e) => e.billed)).toHaveLength(1);
  });
});
