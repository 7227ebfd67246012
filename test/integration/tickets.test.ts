/**
 * Tickets, the fourth object type: a ticket moved to a pipeline stage
 * (`hs_pipeline_stage`) renders a support video for the ticket's contact.
 * HubSpot announces the change in the generic form (`object.propertyChange`
 * with `objectTypeId: "0-5"`) or the legacy one (`ticket.propertyChange`);
 * either way one video is billed, and its status and link are written to the
 * contact and the ticket (`writeback: both`), on SQLite and PostgreSQL.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SubscriptionEventForm } from '../../src/sandbox/hubspot/webhooks/settings.js';
import { testDialects } from '../helpers/databases.js';
import { startHarness, type Harness } from '../helpers/harness.js';

/** Only a ticket campaign: nothing else makes setup create properties on contacts. */
const CONFIG = `
heygen: { concurrency: 3, callbackGrace: 2s, pollEvery: 1s }
hubspot: { batchDelay: 20ms }
worker: { idleDelay: 50ms, retryBase: 100ms, retryCap: 2s }
campaigns:
  - id: support-closed
    object: tickets
    trigger: { property: hs_pipeline_stage, changedTo: "4" }
    recipients: { to: contacts, filter: [{ property: email, exists: true }] }
    writeback: both
    template: tpl_bdr_intro
    title: "{{ticket.subject}} for {{recipient.firstname}}"
    variables:
      first_name: { property: firstname, from: recipient, required: true }
      company_name: { property: company, from: recipient, fallback: "your team" }
      conversion_event: { property: subject, from: ticket, required: true }
`;

const forms: Array<[SubscriptionEventForm, { subscriptionType: string; objectTypeId?: string }]> = [
  ['generic', { subscriptionType: 'object.propertyChange', objectTypeId: '0-5' }],
  ['legacy', { subscriptionType: 'ticket.propertyChange' }],
];
const matrix = (await testDialects()).flatMap((dialect) => forms.map(([form, subscription]) => [dialect, form, subscription] as const));

describe.each(matrix)('a ticket pipeline stage on %s, %s subscription events', (dialect, form, subscription) => {
  let h: Harness;
  afterEach(async () => h?.stop());

  it('renders one video for the ticket\'s contact and writes status and link to the contact and the ticket', async () => {
    h = await startHarness({ config: CONFIG, dialect, sandbox: { hubspot: { webhooks: { eventForm: form, duplicateRate: 1 } } } });
    const crm = h.sandbox.hubspot.crm;
    // Setup created Reelay's properties on tickets, and on the recipient contacts it writes to.
    for (const type of ['tickets', 'contacts'] as const) expect(crm.properties.get(type, 'heygen_render_status'), type).toBeDefined();

    h.sandbox.hubspot.webhooks.setSubscriptions([{ ...subscription, propertyName: 'hs_pipeline_stage' }]);
    const ada = crm.create('contacts', { firstname: 'Ada', email: 'ada@acme.test', company: 'Acme' }).id;
    const noEmail = crm.create('contacts', { firstname: 'Bob' }).id;
    const ticket = crm.create('tickets', { subject: 'Printer on fire', hs_pipeline: '0', hs_pipeline_stage: '1' }).id;
    crm.associate('tickets', ticket, 'contacts', ada);
    crm.associate('tickets', ticket, 'contacts', noEmail);
    crm.update('tickets', ticket, { hs_pipeline_stage: '3' });
    crm.update('tickets', ticket, { hs_pipeline_stage: '4' });
    await h.sandbox.hubspot.webhooks.drain();
    await h.settled();

    const billed = h.sandbox.heygen.ledger().filter((e) => e.billed);
    expect(billed).toHaveLength(1);
    expect(billed[0]?.variables).toMatchObject({ first_name: 'Ada', company_name: 'Acme', conversion_event: 'Printer on fire' });
    for (const [type, id] of [['contacts', ada], ['tickets', ticket]] as const) {
      const props = crm.get(type, id)?.properties;
      expect(props?.heygen_render_status, `${type}/${id}`).toBe('COMPLETED');
      expect(props?.heygen_video_url, `${type}/${id}`).toMatch(/^https?:\/\//);
    }
    expect(crm.get('contacts', noEmail)?.properties.heygen_render_status).toBeUndefined();

    // The events really came in the form under test, and were read as tickets.
    const events = await h.service.store.db.selectFrom('events').select(['object_type', 'payload']).where('kind', '=', 'subscription').execute();
    expect(events.length).toBeGreaterThan(0);
    for (const event of events) {
      expect(event.object_type).toBe('tickets');
      expect(JSON.parse(event.payload)).toMatchObject(subscription);
    }
  });
});
