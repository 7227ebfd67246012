/**
 * App webhook subscriptions and the events a record write raises for them.
 * A propertyChange subscription names one property and fires only when its
 * value actually changes; creation fires once per new record.
 */
import { validationError } from '../api-error.js';
import { objectTypeSingular } from '../crm/object-types.js';
import type { RecordWrite } from '../crm/record-store.js';

export const subscriptionTypes = [
  'contact.creation',
  'contact.propertyChange',
  'deal.creation',
  'deal.propertyChange',
  'company.creation',
  'company.propertyChange',
] as const;
export type SubscriptionType = (typeof subscriptionTypes)[number];

export interface SubscriptionInput {
  subscriptionType: string;
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
  subscriptionType: SubscriptionType;
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
}

export function parseSubscriptions(inputs: readonly SubscriptionInput[], firstId: number): Subscription[] {
  return inputs.map((input, i) => {
    const type = subscriptionTypes.find((t) => t === input.subscriptionType);
    if (!type) {
      throw validationError(`subscriptions[${i}].subscriptionType "${input.subscriptionType}" is not one of ${subscriptionTypes.join(', ')}`);
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

export function eventsForWrite(write: RecordWrite, subscriptions: readonly Subscription[], identity: EventIdentity): SubscriptionEvent[] {
  const singular = objectTypeSingular(write.type);
  const events: SubscriptionEvent[] = [];
  const base = (sub: Subscription) => ({
    eventId: identity.nextEventId(),
    subscriptionId: sub.id,
    portalId: identity.portalId,
    appId: identity.appId,
    occurredAt: write.at,
    subscriptionType: sub.subscriptionType,
    attemptNumber: 0,
    objectId: Number(write.record.id),
    changeSource: write.changeSource,
  });
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
