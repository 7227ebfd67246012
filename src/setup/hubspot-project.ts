/**
 * The HubSpot developer project (platform 2026.03) for Reelay's app, as
 * files: `hsproject.json`, `src/app/app-hsmeta.json` (a privately
 * distributed app with static auth and exactly the scopes the campaigns
 * need) and `src/app/webhooks/webhooks-hsmeta.json` (one
 * `object.propertyChange` subscription per object and property a campaign
 * triggers on, and `contact.privacyDeletion` under `hubEvents` when Reelay
 * honours privacy deletions, delivered to `PUBLIC_URL/webhooks/hubspot`;
 * left out when there is nothing to subscribe to).
 *
 * Pure: the same configuration and URL give the same bytes (keys in a fixed
 * order, lists sorted, two-space JSON with a trailing newline). Field names
 * follow HubSpot's templates (HubSpot/hubspot-project-components, 2026.03)
 * and docs (apps/developer-platform/add-features/configure-webhooks); see
 * docs/api-notes/hubspot-platform.md.
 */
import type { ReelayConfig } from '../config/schema.js';
import { singularOf } from '../core/object-types.js';
import { PRIVACY_DELETION_SUBSCRIPTION, subscribesToPrivacyDeletions } from './privacy-subscription.js';
import { BASE_APP_SCOPES, requiredScopes } from './required-scopes.js';

export const PLATFORM_VERSION = '2026.03';
export const PROJECT_NAME = 'reelay';
export const APP_UID = 'reelay_app';
export const WEBHOOKS_UID = 'reelay_webhooks';
/** HubSpot's template value; HubSpot sends at most this many deliveries at once. */
export const MAX_CONCURRENT_REQUESTS = 10;


export interface ProjectFile {
  /** Relative to the project directory, with `/`. */
  path: string;
  content: string;
}

export interface PropertySubscription {
  objectType: string;
  propertyName: string;
}

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

/** The webhook address HubSpot delivers to: `PUBLIC_URL/webhooks/hubspot`. */
export function hubspotWebhookTarget(publicUrl: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/webhooks/hubspot`;
}

/** One per (object, property) a campaign with a `trigger` listens to, sorted. */
export function propertySubscriptions(config: ReelayConfig): PropertySubscription[] {
  const seen = new Map<string, PropertySubscription>();
  for (const campaign of config.campaigns) {
    if (campaign.trigger === undefined) continue;
    const sub = { objectType: singularOf(campaign.object), propertyName: campaign.trigger.property };
    seen.set(`${sub.objectType}\u0000${sub.propertyName}`, sub);
  }
  return [...seen.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, sub]) => sub);
}

export function hubspotProjectFiles(config: ReelayConfig, publicUrl: string): ProjectFile[] {
  const hsproject = { name: PROJECT_NAME, srcDir: 'src', platformVersion: PLATFORM_VERSION };
  const app = {
    uid: APP_UID,
    type: 'app',
    config: {
      name: 'Reelay',
      description: 'Reelay: personalised HeyGen videos from HubSpot CRM events, written back to the record.',
      distribution: 'private',
      auth: {
        type: 'static',
        requiredScopes: [...BASE_APP_SCOPES, ...requiredScopes(config)],
        // Apps with static auth can define only required scopes.
        optionalScopes: [],
        conditionallyRequiredScopes: [],
      },
      permittedUrls: { fetch: [], iframe: [], img: [] },
    },
  };
  const subscriptions = propertySubscriptions(config);
  const privacy = subscribesToPrivacyDeletions(config);
  const webhooks = {
    uid: WEBHOOKS_UID,
    type: 'webhooks',
    config: {
      settings: { targetUrl: hubspotWebhookTarget(publicUrl), maxConcurrentRequests: MAX_CONCURRENT_REQUESTS },
      subscriptions: {
        crmObjects: subscriptions.map((s) => ({
          subscriptionType: 'object.propertyChange',
          objectType: s.objectType,
          propertyName: s.propertyName,
          active: true,
        })),
        // HubSpot has no generic `object.*` form of this one; it goes under `hubEvents` (configure-webhooks reference).
        ...(privacy ? { hubEvents: [{ subscriptionType: PRIVACY_DELETION_SUBSCRIPTION, active: true }] } : {}),
      },
    },
  };
  const files = [
    { path: 'hsproject.json', content: json(hsproject) },
    { path: 'src/app/app-hsmeta.json', content: json(app) },
  ];
  // Without a triggered campaign or privacy deletions there is nothing to subscribe to (workflow webhooks need no app subscription).
  if (subscriptions.length > 0 || privacy) files.push({ path: 'src/app/webhooks/webhooks-hsmeta.json', content: json(webhooks) });
  return files;
}
