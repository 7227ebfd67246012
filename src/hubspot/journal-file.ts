/**
 * Parsing of a Webhooks Journal file into the same events a webhook delivery
 * yields, so campaigns trigger identically whichever way events arrive.
 *
 * The files' format is only partly documented, so this reads defensively:
 * - `{offset, publishedAt, journalEvents: [{portalId, occurredAt, action,
 *   objectTypeId, objectId, propertyChanges: {name: value}}]}` (the shape a
 *   HubSpot developer's sample reads), also `events` or a bare array;
 * - events in the webhook form (`subscriptionType`, `propertyName`,
 *   `propertyValue`, `eventId`, `occurredAt` in ms) alike.
 * A journal event with several property changes becomes one event per
 * property (as separate webhook deliveries would be). An element that is not
 * an event is skipped with its reason; a file that holds no event list at
 * all is unreadable as a whole.
 */
import { createHash } from 'node:crypto';
import { objectTypeFromId, objectTypeFromSubscription } from '../core/object-types.js';
import { asText, type ParsedHubSpotEvent } from './delivery.js';

export interface JournalFileResult {
  events: ParsedHubSpotEvent[];
  /** Elements that were not usable events, with why. */
  skipped: { index: number; reason: string }[];
}

export type JournalFileParse = ({ ok: true } & JournalFileResult) | { ok: false; reason: string };

type JsonObject = Record<string, unknown>;

/** Journal actions as the generic webhook subscription types Reelay already matches. */
const ACTION_TYPES: Readonly<Record<string, string>> = {
  CREATE: 'object.creation',
  UPDATE: 'object.propertyChange',
  DELETE: 'object.deletion',
  MERGE: 'object.merge',
  RESTORE: 'object.restore',
  ASSOCIATION_ADDED: 'object.associationChange',
  ASSOCIATION_REMOVED: 'object.associationChange',
  GDPR_DELETE: 'object.privacyDeletion',
};

export function parseJournalFile(body: unknown, entryOffset: string, defaultPortalId: string): JournalFileParse {
  const list = eventList(body);
  if (list === null) return { ok: false, reason: `journal file for offset ${entryOffset} holds no event list (journalEvents)` };
  const events: ParsedHubSpotEvent[] = [];
  const skipped: JournalFileResult['skipped'] = [];
  list.forEach((element, index) => {
    const parsed = parseJournalEvent(element, { entryOffset, index, defaultPortalId });
    if ('reason' in parsed) skipped.push({ index, reason: parsed.reason });
    else events.push(...parsed.events);
  });
  return { ok: true, events, skipped };
}

function eventList(body: unknown): unknown[] | null {
  if (Array.isArray(body)) return body;
  if (!isObject(body)) return null;
  for (const key of ['journalEvents', 'events', 'results']) {
    const value = body[key];
    if (Array.isArray(value)) return value;
  }
  return null;
}

interface Where {
  entryOffset: string;
  index: number;
  defaultPortalId: string;
}

function parseJournalEvent(element: unknown, where: Where): { events: ParsedHubSpotEvent[] } | { reason: string } {
  if (!isObject(element)) return { reason: 'not a JSON object' };
  const objectId = asRecordId(element.objectId);
  if (objectId === undefined) return { reason: 'no usable objectId' };
  const portalId = asText(element.portalId) ?? (where.defaultPortalId.trim() || 'default');
  const action = asText(element.action)?.toUpperCase();
  const subscriptionType = asText(element.subscriptionType) ?? asText(element.eventType) ?? (action === undefined ? undefined : ACTION_TYPES[action]);
  if (subscriptionType === undefined) return { reason: action === undefined ? 'no action or subscriptionType' : `unknown action ${action}` };
  const objectTypeId = asText(element.objectTypeId);
  const objectType = objectTypeFromSubscription(subscriptionType) ?? (objectTypeId === undefined ? null : objectTypeFromId(objectTypeId));
  const occurredAt = asEpochMs(element.occurredAt);
  const eventId = asText(element.eventId);
  const changeSource = asText(element.changeSource);

  let changes: [string, string | undefined][];
  if (element.propertyChanges !== undefined && element.propertyChanges !== null) {
    if (!isObject(element.propertyChanges)) return { reason: 'propertyChanges is not an object' };
    changes = Object.entries(element.propertyChanges).map(([name, value]) => [name, changeValue(value)]);
  } else if (typeof element.propertyName === 'string') {
    changes = [[element.propertyName, changeValue(element.propertyValue)]];
  } else {
    changes = [];
  }
  if (action === 'UPDATE' && changes.length === 0) return { reason: 'an UPDATE without property changes' };

  const base = {
    kind: 'subscription' as const,
    portalId,
    objectType,
    objectId,
    subscriptionType,
    ...(occurredAt === undefined ? {} : { occurredAt }),
    ...(eventId === undefined ? {} : { eventId }),
    ...(changeSource === undefined ? {} : { changeSource }),
  };
  // The identity of an event is its content; without a time, its place in the journal.
  const identity = (name: string | undefined, value: string | undefined) =>
    JSON.stringify([
      'journal',
      portalId,
      objectTypeId ?? '',
      objectId,
      subscriptionType,
      occurredAt ?? `${where.entryOffset}#${where.index}`,
      eventId ?? '',
      name ?? '',
      value ?? '',
    ]);
  const payload = (name?: string, value?: string) => ({ ...element, journalOffset: where.entryOffset, ...(name === undefined ? {} : { propertyName: name, propertyValue: value ?? '' }) });
  if (changes.length === 0) return { events: [{ ...base, dedupeKey: dedupeKey(identity(undefined, undefined)), payload: payload() }] };
  return {
    events: changes.map(([name, value]) => ({
      ...base,
      dedupeKey: dedupeKey(identity(name, value)),
      propertyName: name,
      ...(value === undefined ? {} : { propertyValue: value }),
      payload: payload(name, value),
    })),
  };
}

/** A changed value as webhooks carry it: text; a cleared value is the empty string. */
function changeValue(value: unknown): string | undefined {
  if (value === null) return '';
  if (isObject(value)) return asText(value.value) ?? asText(value.newValue);
  return asText(value);
}

function asRecordId(value: unknown): string | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? String(value) : undefined;
  if (typeof value === 'string' && /^\d{1,20}$/.test(value.trim())) return value.trim();
  return undefined;
}

/** Epoch ms from a number, digits, or an ISO 8601 time. */
function asEpochMs(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const parsed = Date.parse(trimmed);
  return Number.isNaN(parsed) ? undefined : parsed;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function dedupeKey(identity: string): string {
  return `hs_${createHash('sha256').update(identity, 'utf8').digest('hex')}`;
}
