/** The scopes a configuration needs: derived from its campaigns, nothing more. */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { missingScopes, requiredScopes } from '../../src/setup/required-scopes.js';
import { SEED_CAMPAIGNS } from '../helpers/harness.js';

const config = (yaml: string) => parseConfig(yaml, {}, 'test.yaml');

describe('requiredScopes', () => {
  it('the seed campaigns: read+write and schemas on their objects, read on the objects `from:` reads', () => {
    expect(requiredScopes(config(SEED_CAMPAIGNS))).toEqual([
      'crm.objects.companies.read', // renewal reads usage_hours from the company
      'crm.objects.contacts.read',
      'crm.objects.contacts.write',
      'crm.objects.deals.read',
      'crm.objects.deals.write',
      'crm.schemas.contacts.read',
      'crm.schemas.contacts.write',
      'crm.schemas.deals.read',
      'crm.schemas.deals.write',
    ]);
  });

  it('one contact campaign needs contacts only; no campaign needs nothing', () => {
    const one = config(`campaigns:
  - id: a
    object: contacts
    template: t
    variables: { name: { property: firstname } }
`);
    expect(requiredScopes(one)).toEqual(['crm.objects.contacts.read', 'crm.objects.contacts.write', 'crm.schemas.contacts.read', 'crm.schemas.contacts.write']);
    expect(requiredScopes(config('campaigns: []\n'))).toEqual([]);
  });

  it('a deal campaign with recipient contacts reads and writes contacts; the deal is still read and probed for writing', () => {
    const deals = config(`campaigns:
  - id: d
    object: deals
    recipients: { to: contacts }
    template: t
    variables: { name: { property: firstname, from: recipient } }
`);
    expect(requiredScopes(deals)).toEqual([
      'crm.objects.contacts.read',
      'crm.objects.contacts.write',
      'crm.objects.deals.read',
      'crm.objects.deals.write',
      // setup creates Reelay's properties on the contacts it writes to
      'crm.schemas.contacts.read',
      'crm.schemas.contacts.write',
      'crm.schemas.deals.read',
      'crm.schemas.deals.write',
    ]);
  });

  it('a contact campaign reading its company needs companies read, not write', () => {
    const scopes = requiredScopes(
      config(`campaigns:
  - id: c
    object: contacts
    template: t
    variables: { size: { property: numberofemployees, from: company } }
`),
    );
    expect(scopes).toContain('crm.objects.companies.read');
    expect(scopes).not.toContain('crm.objects.companies.write');
    expect(scopes).not.toContain('crm.schemas.companies.write');
  });


  it('a deal campaign with note: true also needs the contacts scopes the notes API takes; without it, not', () => {
    const deal = (note: boolean) =>
      requiredScopes(
        config(`campaigns:
  - id: d
    object: deals
    note: ${note}
    template: t
    variables: { name: { property: dealname } }
`),
      );
    expect(deal(true)).toEqual(expect.arrayContaining(['crm.objects.contacts.read', 'crm.objects.contacts.write', 'crm.objects.deals.write']));
    expect(deal(false)).not.toContain('crm.objects.contacts.write');
  });

  it('a ticket campaign uses the one scope `tickets` for ticket records (HubSpot has no crm.objects.tickets.*), and contacts for its recipients', () => {
    const tickets = config(`campaigns:
  - id: t
    object: tickets
    trigger: { property: hs_pipeline_stage, changedTo: "4" }
    recipients: { to: contacts }
    template: t
    variables: { name: { property: firstname, from: recipient }, issue: { property: subject, from: ticket } }
`);
    expect(requiredScopes(tickets)).toEqual([
      'crm.objects.contacts.read',
      'crm.objects.contacts.write',
      'crm.schemas.contacts.read',
      'crm.schemas.contacts.write',
      'crm.schemas.tickets.read',
      'crm.schemas.tickets.write',
      'tickets',
    ]);
  });
});

describe('missingScopes', () => {
  it('lists the required scopes not granted, in order', () => {
    expect(missingScopes(['a', 'b', 'c'], ['c', 'a', 'oauth'])).toEqual(['b']);
    expect(missingScopes(['a'], ['a'])).toEqual([]);
  });
});
