import { describe, expect, it } from 'vitest';
import { configSchema, type CampaignConfig } from '../../src/config/schema.js';
import { matchCampaigns, objectTypeFromSubscription, triggerMatches, type InboundEvent } from '../../src/core/campaign-match.js';

const campaigns: CampaignConfig[] = configSchema.parse({
  campaigns: [
    { id: 'mql', object: 'contacts', trigger: { property: 'lifecyclestage', equals: 'marketingqualifiedlead' }, template: 't1', variables: {} },
    { id: 'sql', object: 'contacts', trigger: { property: 'lifecyclestage', in: ['salesqualifiedlead', 'opportunity'] }, template: 't2', variables: {} },
    { id: 'also-mql', object: 'contacts', trigger: { property: 'lifecyclestage', equals: 'marketingqualifiedlead' }, template: 't3', variables: {} },
    { id: 'won', object: 'deals', trigger: { property: 'dealstage', equals: 'closedwon' }, template: 't4', variables: {} },
    { id: 'off', object: 'contacts', trigger: { property: 'lifecyclestage', equals: 'marketingqualifiedlead' }, template: 't5', variables: {}, enabled: false },
    { id: 'workflow-only', object: 'companies', template: 't6', variables: {} },
  ],
}).campaigns;

const ids = (result: ReturnType<typeof matchCampaigns>): string[] | string => ('campaigns' in result ? result.campaigns.map((c) => c.id) : result.ignored);

function subscription(overrides: Partial<InboundEvent> = {}): InboundEvent {
  return {
    kind: 'subscription',
    subscriptionType: 'contact.propertyChange',
    objectType: null,
    objectId: '501',
    propertyName: 'lifecyclestage',
    propertyValue: 'marketingqualifiedlead',
    portalId: '123',
    ...overrides,
  };
}

function workflow(overrides: Partial<InboundEvent> = {}): InboundEvent {
  return { kind: 'workflow', objectType: null, objectId: '501', portalId: '123', ...overrides };
}

describe('objectTypeFromSubscription', () => {
  it.each([
    ['contact.propertyChange', 'contacts'],
    ['contact.creation', 'contacts'],
    ['deal.propertyChange', 'deals'],
    ['deal.creation', 'deals'],
    ['company.propertyChange', 'companies'],
    ['line_item.propertyChange', null],
    ['object.propertyChange', null],
    ['', null],
  ])('%j -> %j', (type, expected) => {
    expect(objectTypeFromSubscription(type)).toBe(expected);
  });
});

describe('matchCampaigns with ?campaign=', () => {
  it('selects the named campaign directly, trigger or not', () => {
    expect(ids(matchCampaigns(workflow({ campaignParam: 'workflow-only' }), campaigns))).toEqual(['workflow-only']);
    expect(ids(matchCampaigns(workflow({ campaignParam: 'won' }), campaigns))).toEqual(['won']);
  });

  it('ignores an unknown campaign', () => {
    expect(matchCampaigns(workflow({ campaignParam: 'nope' }), campaigns)).toEqual({ ignored: 'unknown campaign nope' });
  });

  it('ignores a disabled campaign', () => {
    expect(matchCampaigns(workflow({ campaignParam: 'off' }), campaigns)).toEqual({ ignored: 'campaign off is disabled' });
  });

  it('ignores an event for another object type than the campaign renders for', () => {
    expect(ids(matchCampaigns(workflow({ campaignParam: 'won', objectType: 'contacts' }), campaigns))).toBe(
      'campaign won renders for deals, not contacts',
    );
  });

  it('still needs a record id', () => {
    expect(matchCampaigns(workflow({ campaignParam: 'mql', objectId: null }), campaigns)).toEqual({ ignored: 'no record id' });
    expect(matchCampaigns(workflow({ campaignParam: 'mql', objectId: ' ' }), campaigns)).toEqual({ ignored: 'no record id' });
  });
});

describe('matchCampaigns by trigger', () => {
  it('starts every enabled campaign whose trigger equals the new value', () => {
    expect(ids(matchCampaigns(subscription(), campaigns))).toEqual(['mql', 'also-mql']);
  });

  it('matches `in` lists', () => {
    expect(ids(matchCampaigns(subscription({ propertyValue: 'opportunity' }), campaigns))).toEqual(['sql']);
  });

  it('needs the object type to match', () => {
    const dealEvent = subscription({ subscriptionType: 'deal.propertyChange', propertyName: 'dealstage', propertyValue: 'closedwon' });
    expect(ids(matchCampaigns(dealEvent, campaigns))).toEqual(['won']);
    const contactWithDealProperty = subscription({ propertyName: 'dealstage', propertyValue: 'closedwon' });
    expect(ids(matchCampaigns(contactWithDealProperty, campaigns))).toBe('no campaign triggers on contacts.dealstage = "closedwon"');
  });

  it('prefers an explicit objectType over the subscription type', () => {
    const event = subscription({ subscriptionType: 'object.propertyChange', objectType: 'deals', propertyName: 'dealstage', propertyValue: 'closedwon' });
    expect(ids(matchCampaigns(event, campaigns))).toEqual(['won']);
  });

  it('ignores events whose value matches no trigger', () => {
    expect(matchCampaigns(subscription({ propertyValue: 'lead' }), campaigns)).toEqual({
      ignored: 'no campaign triggers on contacts.lifecyclestage = "lead"',
    });
  });

  it('compares values exactly', () => {
    expect(ids(matchCampaigns(subscription({ propertyValue: 'MarketingQualifiedLead' }), campaigns))).toEqual(expect.stringContaining('no campaign'));
  });

  it('ignores events of an unknown object type', () => {
    expect(ids(matchCampaigns(subscription({ subscriptionType: 'line_item.propertyChange' }), campaigns))).toBe(
      'unknown object type in line_item.propertyChange',
    );
  });

  it('ignores events without a record id', () => {
    expect(matchCampaigns(subscription({ objectId: null }), campaigns)).toEqual({ ignored: 'no record id' });
  });

  it('ignores subscription events without a property change', () => {
    expect(ids(matchCampaigns(subscription({ subscriptionType: 'contact.creation', propertyName: undefined, propertyValue: undefined }), campaigns))).toBe(
      'no property change to match a trigger',
    );
  });

  it('ignores workflow bodies that name no campaign', () => {
    expect(ids(matchCampaigns(workflow({ objectType: 'contacts' }), campaigns))).toBe('workflow webhook without ?campaign=');
  });

  it.each(['contact.merge', 'contact.deletion', 'contact.privacyDeletion', 'contact.associationChange', 'deal.deletion', 'company.merge', 'contact.restore'])(
    'ignores %s events, even when they name a campaign',
    (subscriptionType) => {
      expect(matchCampaigns(subscription({ subscriptionType }), campaigns)).toEqual({ ignored: `${subscriptionType} events do not start renders` });
      expect(matchCampaigns(subscription({ subscriptionType, campaignParam: 'mql' }), campaigns)).toEqual({
        ignored: `${subscriptionType} events do not start renders`,
      });
    },
  );
});

describe('triggerMatches', () => {
  it('needs the same property and a value', () => {
    expect(triggerMatches({ property: 'a', equals: 'x' }, 'a', 'x')).toBe(true);
    expect(triggerMatches({ property: 'a', equals: 'x' }, 'b', 'x')).toBe(false);
    expect(triggerMatches({ property: 'a', equals: 'x' }, 'a', undefined)).toBe(false);
    expect(triggerMatches({ property: 'a', in: ['x', 'y'] }, 'a', 'y')).toBe(true);
    expect(triggerMatches({ property: 'a', in: ['x', 'y'] }, 'a', 'z')).toBe(false);
  });
});

describe('changedTo triggers', () => {
  const campaign = parseCampaignForChangedTo();
  it('match a property change to the value, not a creation carrying it', () => {
    const base = { kind: 'subscription' as const, objectType: 'deals' as const, objectId: '7', propertyName: 'dealstage', propertyValue: 'closedwon', portalId: '1' };
    expect(matchCampaigns({ ...base, subscriptionType: 'deal.propertyChange' }, [campaign])).toEqual({ campaigns: [campaign] });
    expect(matchCampaigns({ ...base, subscriptionType: 'deal.creation' }, [campaign])).toHaveProperty('ignored');
    expect(matchCampaigns({ ...base, subscriptionType: 'deal.propertyChange', propertyValue: 'closedlost' }, [campaign])).toHaveProperty('ignored');
  });
});

function parseCampaignForChangedTo() {
  return configSchema.parse({
    campaigns: [{ id: 'won', object: 'deals', trigger: { property: 'dealstage', changedTo: 'closedwon' }, template: 't', variables: { a: { property: 'dealname' } } }],
  }).campaigns[0]!;
}
