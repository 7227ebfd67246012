/**
 * Parsing of what HubSpot POSTs to `/webhooks/hubspot` into a uniform list
 * of events. Two kinds share the endpoint:
 *
 * - app subscription deliveries: a JSON array of 1..100 events (or one such
 *   event alone, as in the seed's example);
 * - workflow "Send a webhook" bodies: one object holding the record's
 *   properties, or whatever keys the admin mapped.
 *
 * Every event gets a `dedupeKey` that is stable across HubSpot's redeliveries
 * of the same event, so the store can recognise duplicates.
 */
import { createHash } from 'node:crypto';
import type { ObjectType } from '../config/schema.js';
import { TOO_DEEP_MESSAGE, valueTooDeep } from '../core/json-depth.js';
import { objectTypeFromId, objectTypeFromName, objectTypeFromSubscription, objectTypeInfo, objectTypes } from '../core/object-types.js';

export interface ParsedHubSpotEvent {
  kind: 'workflow' | 'subscription';
  /** Stable identity of this event across redeliveries, `hs_` + hex sha256. */
  dedupeKey: string;
  portalId: string;
  objectType: ObjectType | null;
  objectId: string | null;
  /** `contact.propertyChange`, `deal.creation`, or the generic `object.propertyChange`, ... */
  subscriptionType?: string;
  /** HubSpot's object type id on generic `object.*` events (`0-1` contacts, ... `0-5` tickets: src/core/object-types.ts). */
  objectTypeId?: string;
  propertyName?: string;
  propertyValue?: string;
  /** Epoch ms. */
  occurredAt?: number;
  eventId?: string;
  changeSource?: string;
  /** The event object as received. */
  payload: unknown;
}

export interface DeliveryContext {
  /** The `?campaign=` query parameter, when the URL names a campaign. */
  campaignParam?: string;
  /** `hubspot.portalId` from the configuration; may be empty. */
  defaultPortalId: string;
}

export type HubSpotDeliveryResult =
  | { ok: true; events: ParsedHubSpotEvent[] }
  | { ok: false; reason: string };

export const MAX_EVENTS_PER_DELIVERY = 100;

type JsonObject = Record<string, unknown>;

export function parseHubSpotDelivery(body: unknown, ctx: DeliveryContext): HubSpotDeliveryResult {
  // The route refuses such text before parsing; this guards every other caller
  // (hashing below recurses, and 5,000 levels overflow the stack).
  if (valueTooDeep(body)) return { ok: false, reason: TOO_DEEP_MESSAGE };
  if (Array.isArray(body)) return parseSubscriptionArray(body, ctx);
  if (!isObject(body)) return { ok: false, reason: 'body must be a JSON object or array' };
  if (isSubscriptionEvent(body)) return { ok: true, events: [parseSubscriptionEvent(body, ctx)] };
  return parseWorkflowBody(body, ctx);
}

function parseSubscriptionArray(body: unknown[], ctx: DeliveryContext): HubSpotDeliveryResult {
  if (body.length === 0) return { ok: false, reason: 'delivery holds no events' };
  if (body.length > MAX_EVENTS_PER_DELIVERY) {
    return { ok: false, reason: `delivery holds more than ${MAX_EVENTS_PER_DELIVERY} events` };
  }
  const events: ParsedHubSpotEvent[] = [];
  for (const [index, element] of body.entries()) {
    if (!isObject(element)) return { ok: false, reason: `event ${index} is not a JSON object` };
    events.push(parseSubscriptionEvent(element, ctx));
  }
  return { ok: true, events };
}

function isSubscriptionEvent(body: JsonObject): boolean {
  return (
    typeof body.subscriptionType === 'string' ||
    typeof body.eventType === 'string' ||
    ('propertyName' in body && 'objectId' in body)
  );
}

function parseSubscriptionEvent(event: JsonObject, ctx: DeliveryContext): ParsedHubSpotEvent {
  const portalId = resolvePortal(event.portalId, ctx);
  const subscriptionType = asText(event.subscriptionType) ?? asText(event.eventType);
  const objectId = asRecordId(event.objectId) ?? null;
  const propertyName = asText(event.propertyName);
  const propertyValue = asText(event.propertyValue);
  const occurredAt = asEpochMs(event.occurredAt);
  const eventId = asText(event.eventId);
  const changeSource = asText(event.changeSource);
  const objectTypeId = asText(event.objectTypeId);

  // `eventId` alone is not guaranteed unique, so the key covers everything
  // that tells two events apart, and nothing that changes on a retry
  // (`attemptNumber`).
  const identity = [
    portalId,
    asText(event.subscriptionId) ?? '',
    eventId ?? '',
    objectId ?? '',
    subscriptionType ?? '',
    propertyName ?? '',
    propertyValue ?? '',
    occurredAt ?? '',
  ];

  return {
    kind: 'subscription',
    dedupeKey: dedupeKey(JSON.stringify(identity)),
    portalId,
    objectType: objectTypeOfSubscription(subscriptionType, objectTypeId),
    objectId,
    ...(subscriptionType === undefined ? {} : { subscriptionType }),
    ...(objectTypeId === undefined ? {} : { objectTypeId }),
    ...(propertyName === undefined ? {} : { propertyName }),
    ...(propertyValue === undefined ? {} : { propertyValue }),
    ...(occurredAt === undefined ? {} : { occurredAt }),
    ...(eventId === undefined ? {} : { eventId }),
    ...(changeSource === undefined ? {} : { changeSource }),
    payload: event,
  };
}

const WORKFLOW_ID_FIELDS = ['hs_object_id', 'objectId', 'vid', 'id'] as const;

function parseWorkflowBody(body: JsonObject, ctx: DeliveryContext): HubSpotDeliveryResult {
  const properties = isObject(body.properties) ? body.properties : undefined;
  const objectId =
    firstRecordId(WORKFLOW_ID_FIELDS.map((field) => body[field])) ??
    (properties === undefined ? undefined : asRecordId(propertyValueOf(properties.hs_object_id)));
  if (objectId === undefined) {
    return { ok: false, reason: 'workflow body carries no record id (hs_object_id, objectId, vid or id)' };
  }

  const identity = [ctx.campaignParam ?? null, body];
  return {
    ok: true,
    events: [
      {
        kind: 'workflow',
        dedupeKey: dedupeKey(canonicalJson(identity)),
        portalId: resolvePortal(body.portalId ?? body['portal-id'], ctx),
        objectType: objectTypeOfWorkflowBody(body, properties),
        objectId,
        payload: body,
      },
    ],
  };
}

function objectTypeOfSubscription(
  subscriptionType: string | undefined,
  objectTypeId: string | undefined,
): ObjectType | null {
  const byPrefix = subscriptionType === undefined ? null : objectTypeFromSubscription(subscriptionType);
  return byPrefix ?? (objectTypeId === undefined ? null : objectTypeFromId(objectTypeId));
}

/** Properties that exist on only one object type. */
const MARKER_PROPERTIES: ReadonlyArray<readonly [ObjectType, readonly string[]]> = objectTypes.map((t) => [t, objectTypeInfo(t).markerProperties]);

/**
 * The object type when the body says it unambiguously; otherwise null and the
 * campaign decides. Properties count only when they point at one type alone.
 */
function objectTypeOfWorkflowBody(body: JsonObject, properties: JsonObject | undefined): ObjectType | null {
  const declared = asText(body.objectType)?.toLowerCase();
  if (declared !== undefined) return objectTypeFromName(declared);
  const typeId = asText(body.objectTypeId);
  if (typeId !== undefined) return objectTypeFromId(typeId);
  // `vid` and `is-contact` only appear in the contact record format.
  if (body['is-contact'] === true || 'vid' in body) return 'contacts';

  const keys = new Set([...Object.keys(body), ...Object.keys(properties ?? {})]);
  const matches = MARKER_PROPERTIES.filter(([, markers]) => markers.some((name) => keys.has(name)));
  return matches.length === 1 && matches[0] !== undefined ? matches[0][0] : null;
}

/** A blank `portalId` counts as none. */
function resolvePortal(value: unknown, ctx: DeliveryContext): string {
  return asText(value)?.trim() || ctx.defaultPortalId.trim() || 'default';
}

function firstRecordId(candidates: unknown[]): string | undefined {
  for (const candidate of candidates) {
    const id = asRecordId(candidate);
    if (id !== undefined) return id;
  }
  return undefined;
}

/** HubSpot record ids are non-negative integers, sent as numbers or strings. */
function asRecordId(value: unknown): string | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? String(value) : undefined;
  if (typeof value === 'string') {
    const trimmed = value.trim();
    return /^\d{1,20}$/.test(trimmed) ? trimmed : undefined;
  }
  return undefined;
}

/** Record-format bodies wrap each property as `{ value, versions }`. */
function propertyValueOf(property: unknown): unknown {
  return isObject(property) ? property.value : property;
}

/** A scalar JSON value as text (HubSpot sends ids and values as strings or numbers); anything else is undefined. */
export function asText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return String(value);
  return undefined;
}

function asEpochMs(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^\d+$/.test(value.trim())) return Number(value.trim());
  return undefined;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function dedupeKey(identity: string): string {
  return `hs_${createHash('sha256').update(identity, 'utf8').digest('hex')}`;
}

/** JSON with object keys sorted at every depth, so key order never changes the hash. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(',')}]`;
  if (isObject(value)) {
    const entries = Object.keys(value)
      .sort()
      .filter((key) => value[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
