/**
 * What the user must create in HubSpot by hand, because no API does it for
 * a private-app token: a "Send a webhook" workflow action for each campaign
 * without a trigger, and an app webhook subscription for the properties
 * that trigger the others.
 */
import type { ObjectType, ReelayConfig } from '../config/schema.js';
import { singularOf } from '../core/object-types.js';

export const HUBSPOT_WEBHOOK_PATH = '/webhooks/hubspot';

/** Shown in place of the address when `PUBLIC_URL` is not set. */
export const PUBLIC_URL_PLACEHOLDER = '<PUBLIC_URL>';


export interface WorkflowWebhook {
  campaignId: string;
  objectType: ObjectType;
  url: string;
  enabled: boolean;
}

export interface SubscriptionSpec {
  /** `contact.propertyChange`, `deal.propertyChange`, ... */
  subscriptionType: string;
  propertyName: string;
  /** The campaigns this subscription starts, with the values they fire on. */
  campaigns: { id: string; values: string[] }[];
}

export interface HubSpotInstructions {
  workflows: WorkflowWebhook[];
  subscriptionUrl: string;
  subscriptions: SubscriptionSpec[];
}

export function hubspotInstructions(config: ReelayConfig, publicUrl: string | undefined): HubSpotInstructions {
  const base = `${(publicUrl ?? PUBLIC_URL_PLACEHOLDER).replace(/\/+$/, '')}${HUBSPOT_WEBHOOK_PATH}`;
  const workflows: WorkflowWebhook[] = [];
  const subscriptions = new Map<string, SubscriptionSpec>();
  for (const campaign of config.campaigns) {
    if (campaign.trigger === undefined) {
      workflows.push({ campaignId: campaign.id, objectType: campaign.object, url: `${base}?campaign=${encodeURIComponent(campaign.id)}`, enabled: campaign.enabled });
      continue;
    }
    const subscriptionType = `${singularOf(campaign.object)}.propertyChange`;
    const key = `${subscriptionType} ${campaign.trigger.property}`;
    const spec = subscriptions.get(key) ?? { subscriptionType, propertyName: campaign.trigger.property, campaigns: [] };
    spec.campaigns.push({ id: campaign.id, values: campaign.trigger.equals === undefined ? (campaign.trigger.in ?? []) : [campaign.trigger.equals] });
    subscriptions.set(key, spec);
  }
  return { workflows, subscriptionUrl: base, subscriptions: [...subscriptions.values()] };
}

/** The settings of one workflow "Send a webhook" action, a line each. */
export function workflowLines(w: WorkflowWebhook): string[] {
  return [
    `in a ${singularOf(w.objectType)}-based workflow, add the action "Send a webhook":`,
    `  method:  POST`,
    `  URL:     ${w.url}`,
    `  authentication: include request signature in header, with the ID of the app whose client secret is HUBSPOT_CLIENT_SECRET (HubSpot signs with it)`,
    `  request body: customise it and include hs_object_id (the record ID)`,
  ];
}

/** The settings of one app webhook subscription, a line each. */
export function subscriptionLines(s: SubscriptionSpec, url: string): string[] {
  const fires = s.campaigns.map((c) => `${c.id} when ${s.propertyName} = ${c.values.join(' or ')}`).join('; ');
  return [`subscription: ${s.subscriptionType} on property ${s.propertyName}`, `  target URL: ${url}`, `  starts: ${fires}`];
}
