import { describe, expect, it } from 'vitest';
import {
  canonicalJson,
  parseHubSpotDelivery,
  type DeliveryContext,
  type HubSpotDeliveryResult,
  type ParsedHubSpotEvent,
} from '../../src/hubspot/delivery.js';

const CTX: DeliveryContext = { defaultPortalId: '' };

function subscriptionEvent(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    eventId: 1,
    subscriptionId: 12345,
    portalId: 62515,
    appId: 54321,
    occurredAt: 1_564_113_600_000,
    subscriptionType: 'contact.propertyChange',
    attemptNumber: 0,
    objectId: 123,
    propertyName: 'lifecyclestage',
    propertyValue: 'marketingqualifiedlead',
    changeSource: 'CRM',
    ...overrides,
  };
}

function events(result: HubSpotDeliveryResult): ParsedHubSpotEvent[] {
  if (!result.ok) throw new Error(`expected ok, got: ${result.reason}`);
  return result.events;
}

function only(result: HubSpotDeliveryResult): ParsedHubSpotEvent {
  const list = events(result);
  expect(list).toHaveLength(1);
  return list[0] as ParsedHubSpotEvent;
}

describe('subscription deliveries', () => {
  it('parses an array of events with every field normalised to strings', () => {
    const raw = subscriptionEvent();
    const event = only(parseHubSpotDelivery([raw], CTX));
    expect(event).toEqual({
      kind: 'subscription',
      dedupeKey: expect.stringMatching(/^hs_[0-9a-f]{64}$/),
      portalId: '62515',
      objectType: 'contacts',
      objectId: '123',
      subscriptionType: 'contact.propertyChange',
      propertyName: 'lifecyclestage',
      propertyValue: 'marketingqualifiedlead',
      occurredAt: 1_564_113_600_000,
      eventId: '1',
      changeSource: 'CRM',
      payload: raw,
    });
  });

  it('reads the object type from the subscription type prefix, eventType alias and objectTypeId', () => {
    const parsed = events(
      parseHubSpotDelivery(
        [
          subscriptionEvent({ subscriptionType: 'deal.creation' }),
          subscriptionEvent({ subscriptionType: undefined, eventType: 'company.propertyChange' }),
          subscriptionEvent({ subscriptionType: 'object.propertyChange', objectTypeId: '0-3' }),
          subscriptionEvent({ subscriptionType: 'line_item.creation' }),
        ],
        CTX,
      ),
    );
    expect(parsed.map((e) => e.objectType)).toEqual(['deals', 'companies', 'deals', null]);
    expect(parsed[1]?.subscriptionType).toBe('company.propertyChange');
  });

  it('accepts the seed example alone, as a single subscription event', () => {
    const seed = { objectId: 1234567, propertyName: 'lifecyclestage', propertyValue: 'marketingqualifiedlead', changeSource: 'WORKFLOW', eventId: 101 };
    const event = only(parseHubSpotDelivery(seed, CTX));
    expect(event).toMatchObject({
      kind: 'subscription',
      objectId: '1234567',
      objectType: null,
      portalId: 'default',
      propertyName: 'lifecyclestage',
      eventId: '101',
      changeSource: 'WORKFLOW',
    });
    expect(only(parseHubSpotDelivery([seed], CTX)).dedupeKey).toBe(event.dedupeKey);
  });

  it('treats string and number ids alike', () => {
    const asNumbers = only(parseHubSpotDelivery([subscriptionEvent()], CTX));
    const asStrings = only(
      parseHubSpotDelivery([subscriptionEvent({ objectId: '123', portalId: '62515', eventId: '1', subscriptionId: '12345' })], CTX),
    );
    expect(asStrings.objectId).toBe('123');
    expect(asStrings.dedupeKey).toBe(asNumbers.dedupeKey);
  });

  it('keeps the dedupe key across retries but tells apart events sharing an eventId', () => {
    const first = only(parseHubSpotDelivery([subscriptionEvent()], CTX));
    const retry = only(parseHubSpotDelivery([subscriptionEvent({ attemptNumber: 3 })], CTX));
    expect(retry.dedupeKey).toBe(first.dedupeKey);

    const variants = [
      { objectId: 124 },
      { propertyValue: 'customer' },
      { occurredAt: 1_564_113_600_001 },
      { subscriptionId: 999 },
      { portalId: 1 },
      { subscriptionType: 'contact.creation' },
      { propertyName: 'email' },
    ];
    const keys = variants.map((v) => only(parseHubSpotDelivery([subscriptionEvent(v)], CTX)).dedupeKey);
    expect(new Set([first.dedupeKey, ...keys]).size).toBe(variants.length + 1);
  });

  it('does not confuse field boundaries in the dedupe key', () => {
    const a = only(parseHubSpotDelivery([subscriptionEvent({ propertyName: 'a|b', propertyValue: 'c' })], CTX));
    const b = only(parseHubSpotDelivery([subscriptionEvent({ propertyName: 'a', propertyValue: 'b|c' })], CTX));
    expect(a.dedupeKey).not.toBe(b.dedupeKey);
  });

  it('takes the portal from the event, else the configured default, else "default"', () => {
    const noPortal = subscriptionEvent({ portalId: undefined });
    expect(only(parseHubSpotDelivery([noPortal], { defaultPortalId: '777' })).portalId).toBe('777');
    expect(only(parseHubSpotDelivery([noPortal], { defaultPortalId: '  ' })).portalId).toBe('default');
    expect(only(parseHubSpotDelivery([subscriptionEvent()], { defaultPortalId: '777' })).portalId).toBe('62515');
  });

  it('accepts 100 events and rejects empty, oversized and non-object deliveries', () => {
    const hundred = Array.from({ length: 100 }, (_, i) => subscriptionEvent({ eventId: i }));
    expect(events(parseHubSpotDelivery(hundred, CTX))).toHaveLength(100);
    expect(parseHubSpotDelivery([...hundred, subscriptionEvent()], CTX)).toEqual({
      ok: false,
      reason: 'delivery holds more than 100 events',
    });
    expect(parseHubSpotDelivery([], CTX)).toEqual({ ok: false, reason: 'delivery holds no events' });
    expect(parseHubSpotDelivery([subscriptionEvent(), 'x'], CTX)).toEqual({ ok: false, reason: 'event 1 is not a JSON object' });
    expect(parseHubSpotDelivery([null], CTX).ok).toBe(false);
    expect(parseHubSpotDelivery([[subscriptionEvent()]], CTX).ok).toBe(false);
  });

  it('leaves the object id null when an event carries none that is usable', () => {
    expect(only(parseHubSpotDelivery([subscriptionEvent({ objectId: undefined })], CTX)).objectId).toBeNull();
    expect(only(parseHubSpotDelivery([subscriptionEvent({ objectId: '../1' })], CTX)).objectId).toBeNull();
    expect(only(parseHubSpotDelivery([subscriptionEvent({ objectId: 1.5 })], CTX)).objectId).toBeNull();
  });
});

describe('workflow bodies', () => {
  it('reads the record id from hs_object_id, objectId, vid or id, as string or number', () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ hs_object_id: '501', firstname: 'Ada' }, '501'],
      [{ hs_object_id: 502 }, '502'],
      [{ objectId: 503 }, '503'],
      [{ vid: '504' }, '504'],
      [{ id: 505 }, '505'],
      [{ hs_object_id: '', objectId: 'abc', id: ' 506 ' }, '506'],
      [{ hs_object_id: 507, objectId: 999, vid: 998, id: 997 }, '507'],
    ];
    for (const [body, id] of cases) {
      const event = only(parseHubSpotDelivery(body, CTX));
      expect(event.kind).toBe('workflow');
      expect(event.objectId).toBe(id);
      expect(event.payload).toBe(body);
    }
  });

  it('reads the id from a record-format body with wrapped properties', () => {
    const body = { properties: { hs_object_id: { value: '601', versions: [] }, dealname: { value: 'Big deal' } } };
    expect(only(parseHubSpotDelivery(body, CTX))).toMatchObject({ objectId: '601', objectType: 'deals' });
  });

  it('rejects a workflow body without a usable record id', () => {
    expect(parseHubSpotDelivery({ firstname: 'Ada' }, CTX)).toEqual({
      ok: false,
      reason: 'workflow body carries no record id (hs_object_id, objectId, vid or id)',
    });
    expect(parseHubSpotDelivery({ id: 'x-1', hs_object_id: -4 }, CTX).ok).toBe(false);
  });

  it('takes the portal from portalId or portal-id, else the default', () => {
    expect(only(parseHubSpotDelivery({ id: 1, portalId: 42 }, CTX)).portalId).toBe('42');
    expect(only(parseHubSpotDelivery({ vid: 1, 'portal-id': 43 }, CTX)).portalId).toBe('43');
    expect(only(parseHubSpotDelivery({ id: 1 }, { defaultPortalId: '44' })).portalId).toBe('44');
    expect(only(parseHubSpotDelivery({ id: 1 }, CTX)).portalId).toBe('default');
  });

  it('names the object type only when the body says so unambiguously', () => {
    const typeOf = (body: Record<string, unknown>) => only(parseHubSpotDelivery(body, CTX)).objectType;
    expect(typeOf({ objectId: 1, objectType: 'DEAL' })).toBe('deals');
    expect(typeOf({ objectId: 1, objectTypeId: '0-2' })).toBe('companies');
    expect(typeOf({ vid: 1, 'is-contact': true })).toBe('contacts');
    expect(typeOf({ hs_object_id: 1, email: 'a@b.c', firstname: 'Ada' })).toBe('contacts');
    expect(typeOf({ hs_object_id: 1, dealname: 'Renewal' })).toBe('deals');
    expect(typeOf({ hs_object_id: 1, domain: 'acme.test' })).toBe('companies');
    expect(typeOf({ hs_object_id: 1, email: 'a@b.c', dealname: 'Renewal' })).toBeNull();
    expect(typeOf({ hs_object_id: 1, company: 'Acme' })).toBeNull();
    expect(typeOf({ objectId: 1, objectType: 'LINE_ITEM' })).toBeNull();
    expect(typeOf({ objectId: 1, objectType: 'TICKET' })).toBe('tickets');
    expect(typeOf({ objectId: 1, objectTypeId: '0-5' })).toBe('tickets');
    expect(typeOf({ hs_object_id: 1, subject: 'Printer on fire', hs_pipeline_stage: '4' })).toBe('tickets');
  });

  it('gives an identical redelivery the same key regardless of key order, and the campaign a say', () => {
    const body = { hs_object_id: '501', firstname: 'Ada', nested: { b: 1, a: [2, { d: 1, c: 2 }] } };
    const reordered = { nested: { a: [2, { c: 2, d: 1 }], b: 1 }, firstname: 'Ada', hs_object_id: '501' };
    const ctx = { defaultPortalId: '', campaignParam: 'bdr-intro' };
    const key = only(parseHubSpotDelivery(body, ctx)).dedupeKey;
    expect(key).toMatch(/^hs_[0-9a-f]{64}$/);
    expect(only(parseHubSpotDelivery(reordered, ctx)).dedupeKey).toBe(key);
    expect(only(parseHubSpotDelivery(body, { ...ctx, campaignParam: 'other' })).dedupeKey).not.toBe(key);
    expect(only(parseHubSpotDelivery(body, CTX)).dedupeKey).not.toBe(key);
    expect(only(parseHubSpotDelivery({ ...body, firstname: 'Adah' }, ctx)).dedupeKey).not.toBe(key);
  });
});

describe('bodies that are neither', () => {
  it('rejects strings, numbers, booleans and null', () => {
    for (const body of ['[]', 42, true, null, undefined]) {
      expect(parseHubSpotDelivery(body, CTX)).toEqual({ ok: false, reason: 'body must be a JSON object or array' });
    }
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every depth and keeps array order', () => {
    expect(canonicalJson({ b: [3, { z: 1, y: null }], a: 'x' })).toBe('{"a":"x","b":[3,{"y":null,"z":1}]}');
  });
});

describe('blank portal ids (found by fuzzing)', () => {
  it('a blank portalId falls back to hubspot.portalId, else "default", like a missing one', () => {
    for (const portalId of ['', '   ']) {
      expect(events(parseHubSpotDelivery([subscriptionEvent({ portalId })], CTX))[0]?.portalId).toBe('default');
      expect(events(parseHubSpotDelivery([subscriptionEvent({ portalId })], { defaultPortalId: '777' }))[0]?.portalId).toBe('777');
      expect(events(parseHubSpotDelivery({ hs_object_id: 5, portalId }, CTX))[0]?.portalId).toBe('default');
    }
  });
});
