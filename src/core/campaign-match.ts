/**
 * Which campaigns an inbound HubSpot event starts. A workflow webhook names
 * its campaign in the URL (`?campaign=ID`); an app subscription event starts
 * every enabled campaign whose trigger matches the property change.
 */
import type { CampaignConfig, ObjectType, TriggerSpec } from '../config/schema.js';
import { objectTypeFromSubscription } from './object-types.js';

export { objectTypeFromName, objectTypeFromSubscription } from './object-types.js';

/** An inbound HubSpot event as the HTTP layer normalised it. */
export interface InboundEvent {
  kind: 'workflow' | 'subscription';
  /** `?campaign=ID` from the webhook URL. */
  campaignParam?: string;
  /** Null when the delivery does not say (a workflow body); then read from `subscriptionType`. */
  objectType: ObjectType | null;
  objectId: string | null;
  subscriptionType?: string;
  /** Generic `object.*` events name the type by id (`0-1`); kept to say which type was not understood. */
  objectTypeId?: string;
  propertyName?: string;
  propertyValue?: string;
  portalId: string;
}

export type MatchResult = { campaigns: CampaignConfig[] } | { ignored: string };

/** Subscription actions that describe records going away or being rewired, never a reason to render. */
const NON_STARTING_ACTIONS = new Set(['merge', 'deletion', 'privacydeletion', 'associationchange', 'restore']);

function actionOf(subscriptionType: string): string {
  const dot = subscriptionType.indexOf('.');
  return dot === -1 ? '' : subscriptionType.slice(dot + 1).toLowerCase();
}

/**
 * `equals`/`in` match any event that carries the value; `changedTo` only a
 * property change (`*.propertyChange`), not a record created with the value.
 */
export function triggerMatches(trigger: TriggerSpec, propertyName: string, propertyValue: string | undefined, subscriptionType?: string): boolean {
  if (trigger.property !== propertyName || propertyValue === undefined) return false;
  if (trigger.equals !== undefined) return trigger.equals === propertyValue;
  if (trigger.changedTo !== undefined) {
    const isChange = subscriptionType === undefined || actionOf(subscriptionType) === 'propertychange';
    return isChange && trigger.changedTo === propertyValue;
  }
  return trigger.in?.includes(propertyValue) ?? false;
}

function selectDirectly(event: InboundEvent, id: string, campaigns: readonly CampaignConfig[]): MatchResult {
  const campaign = campaigns.find((c) => c.id === id);
  if (!campaign) return { ignored: `unknown campaign ${id}` };
  if (!campaign.enabled) return { ignored: `campaign ${id} is disabled` };
  if (event.objectType !== null && event.objectType !== campaign.object) {
    return { ignored: `campaign ${id} renders for ${campaign.object}, not ${event.objectType}` };
  }
  return { campaigns: [campaign] };
}

export function matchCampaigns(event: InboundEvent, campaigns: readonly CampaignConfig[]): MatchResult {
  const subscriptionType = event.subscriptionType;
  if (subscriptionType !== undefined && NON_STARTING_ACTIONS.has(actionOf(subscriptionType))) {
    return { ignored: `${subscriptionType} events do not start renders` };
  }
  if (event.objectId === null || event.objectId.trim() === '') return { ignored: 'no record id' };
  if (event.campaignParam !== undefined) return selectDirectly(event, event.campaignParam, campaigns);

  const objectType = event.objectType ?? (subscriptionType === undefined ? null : objectTypeFromSubscription(subscriptionType));
  if (objectType === null) {
    const typeId = event.objectTypeId === undefined ? '' : ` ${event.objectTypeId}`;
    return { ignored: `unknown object type${typeId}${subscriptionType === undefined ? '' : ` in ${subscriptionType}`}` };
  }
  const propertyName = event.propertyName;
  if (propertyName === undefined) {
    return { ignored: event.kind === 'workflow' ? 'workflow webhook without ?campaign=' : 'no property change to match a trigger' };
  }

  const matched = campaigns.filter(
    (c) => c.enabled && c.object === objectType && c.trigger !== undefined && triggerMatches(c.trigger, propertyName, event.propertyValue, subscriptionType),
  );
  if (matched.length === 0) {
    const value = event.propertyValue === undefined ? '' : ` = ${JSON.stringify(event.propertyValue)}`;
    return { ignored: `no campaign triggers on ${objectType}.${propertyName}${value}` };
  }
  return { campaigns: matched };
}
