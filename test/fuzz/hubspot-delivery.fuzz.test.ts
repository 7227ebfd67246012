/**
 * Fuzzing HubSpot delivery parsing (`src/hubspot/delivery.ts`) the way the
 * route feeds it: raw text -> depth limit -> JSON.parse -> parse. Random and
 * mutated deliveries never throw; whatever is accepted is well formed; the
 * dedupe key ignores what changes between redeliveries.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonTextTooDeep } from '../../src/core/json-depth.js';
import { parseHubSpotDelivery, type HubSpotDeliveryResult } from '../../src/hubspot/delivery.js';
import { awkwardJson, fuzz, mutated } from './fuzz.js';

const CTX = { defaultPortalId: '' };

/** What the route does with a body that passed the signature check. */
function parseText(text: string, campaignParam?: string): HubSpotDeliveryResult | 'too deep' | 'not json' {
  if (jsonTextTooDeep(text)) return 'too deep';
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return 'not json';
  }
  return parseHubSpotDelivery(body, { ...CTX, ...(campaignParam === undefined ? {} : { campaignParam }) });
}

function expectWellFormed(result: HubSpotDeliveryResult | 'too deep' | 'not json'): void {
  if (typeof result === 'string') return;
  if (!result.ok) {
    expect(typeof result.reason).toBe('string');
    expect(result.reason.length).toBeGreaterThan(0);
    return;
  }
  expect(result.events.length).toBeGreaterThanOrEqual(1);
  expect(result.events.length).toBeLessThanOrEqual(100);
  for (const event of result.events) {
    expect(event.dedupeKey).toMatch(/^hs_[0-9a-f]{64}$/);
    expect(event.portalId.length).toBeGreaterThan(0);
    if (event.objectId !== null) expect(event.objectId).toMatch(/^\d{1,20}$/);
    if (event.kind === 'workflow') expect(event.objectId).not.toBeNull();
    // Whatever is accepted can be stored: it serialises without overflowing.
    expect(typeof JSON.stringify(event.payload)).toBe('string');
  }
}

const scalar = fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant(undefined));
const idLike = fc.oneof(fc.nat(), fc.nat().map(String), fc.constantFrom('-1', '1.5', ' 42 ', '9'.repeat(25), '', 'abc', '0x10'), fc.double());

const subscriptionEvent = fc.record(
  {
    eventId: fc.oneof(fc.nat(), scalar),
    subscriptionId: fc.oneof(fc.nat(), scalar),
    portalId: fc.oneof(fc.nat(), scalar),
    appId: fc.nat(),
    occurredAt: fc.oneof(fc.nat(), fc.nat().map(String), scalar),
    subscriptionType: fc.oneof(fc.constantFrom('contact.propertyChange', 'deal.propertyChange', 'object.propertyChange', 'contact.creation', 'contact.privacyDeletion', 'company.merge'), scalar),
    objectTypeId: fc.constantFrom('0-1', '0-2', '0-3', '2-123', ''),
    attemptNumber: fc.nat({ max: 10 }),
    objectId: idLike,
    propertyName: fc.oneof(fc.constantFrom('lifecyclestage', 'dealstage'), scalar),
    propertyValue: fc.oneof(fc.constantFrom('marketingqualifiedlead', 'closedwon'), scalar),
    changeSource: fc.oneof(fc.constantFrom('CRM_UI', 'API'), scalar),
  },
  { requiredKeys: [] },
);

const workflowBody = fc
  .tuple(
    fc.dictionary(fc.string({ maxLength: 10 }), fc.oneof(scalar, fc.jsonValue({ maxDepth: 3 })), { maxKeys: 8 }),
    fc.record({ hs_object_id: idLike, objectId: idLike, vid: idLike, id: idLike, portalId: scalar }, { requiredKeys: [] }),
  )
  .map(([rest, ids]) => ({ ...rest, ...ids }));

describe('HubSpot delivery parsing under fuzzing', () => {
  it('random JSON values never throw, and what is accepted is well formed', () => {
    fuzz(
      fc.property(awkwardJson, fc.option(fc.string({ maxLength: 10 }), { nil: undefined }), (body, campaignParam) => {
        const result = parseHubSpotDelivery(body, { ...CTX, ...(campaignParam === undefined ? {} : { campaignParam }) });
        expectWellFormed(result);
      }),
      3_000,
    );
  });

  it('generated subscription arrays and workflow bodies never throw', () => {
    fuzz(
      fc.property(fc.oneof(fc.array(subscriptionEvent, { maxLength: 110 }), subscriptionEvent, workflowBody), (body) => {
        expectWellFormed(parseHubSpotDelivery(body, CTX));
      }),
      3_000,
    );
  });

  it('mutated delivery texts never throw anything but a refusal', () => {
    const valid = fc.oneof(
      fc.array(subscriptionEvent, { minLength: 1, maxLength: 5 }).map((events) => JSON.stringify(events)),
      workflowBody.map((body) => JSON.stringify(body)),
      fc.constant('{"hs_object_id":"123","firstname":"Ann","properties":{"hs_object_id":{"value":"123"}}}'),
    );
    fuzz(
      fc.property(mutated(valid, 6), (text) => {
        expectWellFormed(parseText(text, 'bdr-intro'));
      }),
      5_000,
    );
  });

  it('a subscription event keeps its dedupe key across redeliveries (attemptNumber) and key order', () => {
    fuzz(
      fc.property(subscriptionEvent, fc.nat({ max: 9 }), (event, attempt) => {
        const first = parseHubSpotDelivery([event], CTX);
        const reordered = Object.fromEntries(Object.entries({ ...event, attemptNumber: attempt }).reverse());
        const again = parseHubSpotDelivery([reordered], CTX);
        expect(first.ok).toBe(true);
        expect(again.ok).toBe(true);
        if (first.ok && again.ok) expect(again.events[0]?.dedupeKey).toBe(first.events[0]?.dedupeKey);
      }),
      2_000,
    );
  });

  it('a workflow body keeps its dedupe key whatever the key order, and changes it with the campaign', () => {
    fuzz(
      fc.property(workflowBody, (body) => {
        const a = parseHubSpotDelivery(body, { ...CTX, campaignParam: 'a' });
        if (!a.ok || a.events[0]?.kind !== 'workflow') return;
        const reordered = parseHubSpotDelivery(Object.fromEntries(Object.entries(body).reverse()), { ...CTX, campaignParam: 'a' });
        const other = parseHubSpotDelivery(body, { ...CTX, campaignParam: 'b' });
        expect(reordered.ok && reordered.events[0]?.dedupeKey).toBe(a.events[0].dedupeKey);
        expect(other.ok && other.events[0]?.dedupeKey).not.toBe(a.events[0].dedupeKey);
      }),
      2_000,
    );
  });
});
