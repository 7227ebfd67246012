/**
 * App webhook subscriptions and the events a record write raises for them.
 * A propertyChange subscription names one property and fires only when its
 * value actually changes; creation fires once per new record. Subscriptions
 * are given in the legacy form (`contact.propertyChange`) or the generic one
 * (`object.propertyChange` with `objectType: "contact"` or `objectTypeId:
 * "0-1"`); events go out in the form the settings name.
 */
import { objectSingulars, objectTypeInfo, objectTypes, type ObjectSingular } from '../../../core/object-types.js';
import { validationError } from '../api-error.js';
import { objectTypeSingular, parseObjectType, type SandboxObjectType } from '../crm/object-types.js';
import type { RecordWrite } from '../crm/record-store.js';
import type { SubscriptionEventForm } from './settings.js';

export type SubscriptionType = `${ObjectSingular}.creation` | `${ObjectSingular}.propertyChange`;
export const subscriptionTypes: readonly SubscriptionType[] = objectSingulars.flatMap((s) => [`${s}.creation` as const, `${s}.propertyChange` as const]);
export type GenericSubscriptionType = 'object.creation' | 'object.propertyChange';
/** A contact erased with HubSpot's privacy-compliant delete: a `hubEvents` subscription, legacy form only (HubSpot has no `object.*` form of it). */
export const PRIVACY_DELETION = 'contact.privacyDeletion';

/** HubSpot's ids of the standard object types, as generic events carry them. */
export const objectTypeIds = Object.fromEntries(objectTypes.map((t) => [t, objectTypeInfo(t).objectTypeId])) as Readonly<Record<SandboxObjectType, string>>;

export interface SubscriptionInput {
  subscriptionType: string;
  /** Generic subscriptions: the object, by name (`contact`, as in `webhooks-hsmeta.json`) or id (`objectTypeId`). */
  objectType?: string;
  objectTypeId?: string;
  propertyName?: string;
  active?: boolean;
}

export interface Subscription {
  id: number;
  subscriptionType: SubscriptionType;
  propertyName?: string;
  active: boolean;
}

export interface SubscriptionEvent {
  eventId: number;
  subscriptionId: number;
  portalId: number;
  appId: number;
  occurredAt: number;
  subscriptionType: SubscriptionType | GenericSubscriptionType | typeof PRIVACY_DELETION;
  /** Generic events only: `0-1`, `0-2`, `0-3`, ... */
  objectTypeId?: string;
  attemptNumber: number;
  objectId: number;
  propertyName?: string;
  propertyValue?: string;
  changeSource: string;
  changeFlag?: 'NEW';
  sourceId?: string;
}

export interface EventIdentity {
  portalId: number;
  appId: number;
  nextEventId: () => number;
  /** Default `generic`. `mixed` alternates by event id, so one delivery holds both forms. */
  form?: SubscriptionEventForm;
}

export function parseSubscriptions(inputs: readonly SubscriptionInput[], firstId: number): Subscription[] {
  return inputs.map((input, i) => {
    const type = subscriptionTypes.find((t) => t === legacyType(input, i));
    if (!type) {
      throw validationError(
        `subscriptions[${i}].subscriptionType "${input.subscriptionType}" is not one of ${subscriptionTypes.join(', ')}, object.creation, object.propertyChange`,
      );
    }
    if (type.endsWith('.propertyChange') && !input.propertyName) {
      throw validationError(`subscriptions[${i}]: a ${type} subscription needs a propertyName`);
    }
    return {
      id: firstId + i,
      subscriptionType: type,
      ...(input.propertyName === undefined ? {} : { propertyName: input.propertyName }),
      active: input.active ?? true,
    };
  });
}

/** `object.propertyChange` + `objectType: contact` is `contact.propertyChange` inside the sandbox. */
function legacyType(input: SubscriptionInput, index: number): string {
  const generic = /^object\.(creation|propertyChange)$/.exec(input.subscriptionType);
  if (generic === null) return input.subscriptionType;
  const named = input.objectTypeId ?? input.objectType;
  const type = named === undefined ? undefined : parseObjectType(named);
  if (type === undefined) {
    const names = objectTypes.map((t) => objectTypeInfo(t).singular).join(', ');
    const ids = objectTypes.map((t) => objectTypeInfo(t).objectTypeId).join(', ');
    throw validationError(`subscriptions[${index}]: a ${input.subscriptionType} subscription needs objectType (${names}) or objectTypeId (${ids})`);
  }
  return `${objectTypeSingular(type)}.${generic[1]}`;
}

export function eventsForWrite(write: RecordWrite, subscriptions: readonly Subscription[], identity: EventIdentity): SubscriptionEvent[] {
  const singular = objectTypeSingular(write.type);
  const form = identity.form ?? 'generic';
  const events: SubscriptionEvent[] = [];
  const base = (sub: Subscription) => {
    const eventId = identity.nextEventId();
    const generic = form === 'generic' || (form === 'mixed' && eventId % 2 === 0);
    const action = sub.subscriptionType.slice(sub.subscriptionType.indexOf('.') + 1) as 'creation' | 'propertyChange';
    return {
      eventId,
      subscriptionId: sub.id,
      portalId: identity.portalId,
      appId: identity.appId,
      occurredAt: write.at,
      ...(generic
        ? { subscriptionType: `object.${action}` as const, objectTypeId: objectTypeIds[write.type] }
        : { subscriptionType: sub.subscriptionType }),
      attemptNumber: 0,
      objectId: Number(write.record.id),
      changeSource: write.changeSource,
    };
  };
  for (const sub of subscriptions) {
    if (!sub.active || !sub.subscriptionType.startsWith(`${singular}.`)) continue;
    if (sub.subscriptionType.endsWith('.creation')) {
      if (write.kind === 'creation') events.push({ ...base(sub), changeFlag: 'NEW' });
      continue;
    }
    const change = write.changes.find((c) => c.name === sub.propertyName);
    if (change) events.push({ ...base(sub), propertyName: change.name, propertyValue: change.value ?? '' });
  }
  return events;
}
