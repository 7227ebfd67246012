/**
 * Journal files become the same events webhook deliveries yield, read
 * defensively: the documented-by-sample shape and the webhook-event form,
 * one event per changed property, stable dedupe keys, malformed elements
 * skipped with a reason.
 */
import { describe, expect, it } from 'vitest';
import { parseJournalFile } from '../../src/hubspot/journal-file.js';
import { matchCampaigns } from '../../src/core/campaign-match.js';
import { parseConfig } from '../../src/config/load.js';
import { plannedJournalSubscriptions } from '../../src/setup/journal-subscriptions.js';
import { TEST_CONFIG } from '../helpers/harness.js';

const config = parseConfig(TEST_CONFIG, {}, 'test config');

describe('parseJournalFile', () => {
  it('reads {journalEvents: [...]} with propertyChanges, one event per property, matching campaigns like webhooks', () => {
    const parsed = parseJournalFile(
      {
        offset: 'o-1',
        publishedAt: '2026-03-30T10:00:00Z',
        journalEvents: [
          { portalId: 62515, occurredAt: '2026-03-30T09:59:59.000Z', action: 'UPDATE', objectTypeId: '0-1', objectId: 42, propertyChanges: { lifecyclestage: 'marketingqualifiedlead', firstname: 'Ada' } },
          { portalId: 62515, occurredAt: 1_774_864_799_000, action: 'UPDATE', objectTypeId: '0-3', objectId: '7', propertyChanges: { dealstage: 'closedwon' } },
        ],
      },
      'o-1',
      '',
    );
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(parsed.skipped).toEqual([]);
    expect(parsed.events.map((e) => [e.objectType, e.objectId, e.subscriptionType, e.propertyName, e.propertyValue])).toEqual([
      ['contacts', '42', 'object.propertyChange', 'lifecyclestage', 'marketingqualifiedlead'],
      ['contacts', '42', 'object.propertyChange', 'firstname', 'Ada'],
      ['deals', '7', 'object.propertyChange', 'dealstage', 'closedwon'],
    ]);
    expect(parsed.events[0]?.occurredAt).toBe(Date.parse('2026-03-30T09:59:59.000Z'));
    const matched = parsed.events.map((e) => matchCampaigns(e, config.campaigns));
    expect(matched.map((m) => ('campaigns' in m ? m.campaigns.map((c) => c.id) : []))).toEqual([['bdr-intro'], [], ['onboarding']]);
  });

  it('reads ticket events (0-5) as tickets, and plans a 0-5 subscription for a ticket campaign', () => {
    const parsed = parseJournalFile(
      { journalEvents: [{ portalId: 62515, occurredAt: '2026-03-30T10:00:00Z', action: 'UPDATE', objectTypeId: '0-5', objectId: 9, propertyChanges: { hs_pipeline_stage: '4' } }] },
      'o-3',
      '',
    );
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(parsed.events.map((e) => [e.objectType, e.objectId, e.propertyName, e.propertyValue])).toEqual([['tickets', '9', 'hs_pipeline_stage', '4']]);
    const tickets = parseConfig(
      `campaigns:\n  - { id: t, object: tickets, trigger: { property: hs_pipeline_stage, changedTo: "4" }, recipients: { to: contacts }, template: x, variables: { n: { property: firstname, from: recipient } } }\n`,
      {},
      'tickets',
    );
    expect(plannedJournalSubscriptions(tickets)).toEqual([
      // The recipients are contacts: their privacy deletions are subscribed to (privacy.honorDeletionEvents).
      { objectType: 'contacts', objectTypeId: '0-1', actions: ['GDPR_DELETE'], properties: [] },
      { objectType: 'tickets', objectTypeId: '0-5', actions: ['UPDATE'], properties: ['hs_pipeline_stage'] },
    ]);
    expect(matchCampaigns(parsed.events[0]!, tickets.campaigns)).toMatchObject({ campaigns: [{ id: 't' }] });
  });

  it('reads webhook-like events (propertyName, propertyValue, eventId, subscriptionType) and bare arrays', () => {
    const event = { subscriptionType: 'contact.propertyChange', objectId: 42, propertyName: 'lifecyclestage', propertyValue: 'marketingqualifiedlead', eventId: 9, occurredAt: 1_700_000_000_000, portalId: 1 };
    const parsed = parseJournalFile([event], 'o-2', '');
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(parsed.events).toHaveLength(1);
    expect(parsed.events[0]).toMatchObject({ objectType: 'contacts', objectId: '42', propertyName: 'lifecyclestage', eventId: '9', portalId: '1' });
  });

  it('gives the same event the same dedupe key wherever it is read, and different changes different keys', () => {
    const event = { portalId: 1, occurredAt: '2026-03-30T10:00:00Z', action: 'UPDATE', objectTypeId: '0-1', objectId: 42, propertyChanges: { lifecyclestage: 'lead' } };
    const a = parseJournalFile({ journalEvents: [event] }, 'o-1', '');
    const b = parseJournalFile({ journalEvents: [{ ...event }] }, 'o-9', '');
    const c = parseJournalFile({ journalEvents: [{ ...event, propertyChanges: { lifecyclestage: 'customer' } }] }, 'o-1', '');
    if (!a.ok || !b.ok || !c.ok) throw new Error('unreadable');
    expect(a.events[0]?.dedupeKey).toBe(b.events[0]?.dedupeKey);
    expect(a.events[0]?.dedupeKey).not.toBe(c.events[0]?.dedupeKey);
  });

  it('skips malformed elements with a reason and keeps the rest; a file without an event list is unreadable', () => {
    const parsed = parseJournalFile(
      { journalEvents: ['text', { action: 'UPDATE', objectTypeId: '0-1' }, { action: 'UPDATE', objectId: 1, propertyChanges: 'x' }, { action: 'EXPLODE', objectId: 1 }, { action: 'CREATE', objectTypeId: '0-1', objectId: 5 }] },
      'o-3',
      '123',
    );
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(parsed.skipped.map((s) => s.index)).toEqual([0, 1, 2, 3]);
    expect(parsed.events).toEqual([expect.objectContaining({ objectId: '5', subscriptionType: 'object.creation', portalId: '123' })]);
    expect(parseJournalFile('not json', 'o-4', '')).toMatchObject({ ok: false });
    expect(parseJournalFile({ offset: 'o-5' }, 'o-5', '')).toMatchObject({ ok: false });
  });
});
