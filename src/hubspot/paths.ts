/**
 * Every HubSpot API path Reelay calls, in one place. `/crm/v3` is supported
 * until 2027 and date-versioned paths (`/crm/objects/2026-03/...`) replace it;
 * a client takes a `HubSpotPaths` so the switch is one object, not a search.
 * Segments are URL-encoded here, so callers pass raw ids and names.
 */

export interface HubSpotPaths {
  objects(type: string): string;
  object(type: string, id: string): string;
  batchRead(type: string): string;
  batchUpdate(type: string): string;
  search(type: string): string;
  associations(fromType: string, id: string, toType: string): string;
  batchAssociations(fromType: string, toType: string): string;
  properties(type: string): string;
  property(type: string, name: string): string;
  propertyGroups(type: string): string;
  propertyGroup(type: string, name: string): string;
  /** The account's id, time zone and hosting (`account-info`). */
  accountDetails(): string;
}

/** `hubspot.apiVersion`: the date-based paths (default) or the numbered ones for old portals. */
export const hubspotApiVersions = ['2026-03', 'v3'] as const;
export type HubSpotApiVersion = (typeof hubspotApiVersions)[number];

const seg = encodeURIComponent;

export const crmV3Paths: HubSpotPaths = {
  objects: (type) => `/crm/v3/objects/${seg(type)}`,
  object: (type, id) => `/crm/v3/objects/${seg(type)}/${seg(id)}`,
  batchRead: (type) => `/crm/v3/objects/${seg(type)}/batch/read`,
  batchUpdate: (type) => `/crm/v3/objects/${seg(type)}/batch/update`,
  search: (type) => `/crm/v3/objects/${seg(type)}/search`,
  associations: (fromType, id, toType) => `/crm/v4/objects/${seg(fromType)}/${seg(id)}/associations/${seg(toType)}`,
  batchAssociations: (fromType, toType) => `/crm/v4/associations/${seg(fromType)}/${seg(toType)}/batch/read`,
  properties: (type) => `/crm/v3/properties/${seg(type)}`,
  property: (type, name) => `/crm/v3/properties/${seg(type)}/${seg(name)}`,
  propertyGroups: (type) => `/crm/v3/properties/${seg(type)}/groups`,
  propertyGroup: (type, name) => `/crm/v3/properties/${seg(type)}/groups/${seg(name)}`,
  accountDetails: () => '/account-info/v3/details',
};

/**
 * HubSpot's token-info endpoints (not versioned with the CRM paths): token
 * metadata `GET /oauth/v1/access-tokens/{token}` and, for private app
 * tokens, `POST /oauth/v2/private-apps/get/access-token-info`.
 */
export const oauthPaths = {
  accessTokenInfo: (token: string) => `/oauth/v1/access-tokens/${seg(token)}`,
  privateAppTokenInfo: () => '/oauth/v2/private-apps/get/access-token-info',
};

/**
 * The 2026-03 date-based paths (HubSpot's public API spec collection:
 * `CRM/Objects/Rollouts/424/2026-03`, `CRM/Properties/Rollouts/145899/2026-03`,
 * `CRM/Associations/Rollouts/130902/2026-03`, `Account/Account Info/Rollouts/144923/2026-03`).
 * Bodies and answers are those of v3 (objects, properties) and v4 (associations).
 */
export const crm202603Paths: HubSpotPaths = {
  objects: (type) => `/crm/objects/2026-03/${seg(type)}`,
  object: (type, id) => `/crm/objects/2026-03/${seg(type)}/${seg(id)}`,
  batchRead: (type) => `/crm/objects/2026-03/${seg(type)}/batch/read`,
  batchUpdate: (type) => `/crm/objects/2026-03/${seg(type)}/batch/update`,
  search: (type) => `/crm/objects/2026-03/${seg(type)}/search`,
  associations: (fromType, id, toType) => `/crm/objects/2026-03/${seg(fromType)}/${seg(id)}/associations/${seg(toType)}`,
  batchAssociations: (fromType, toType) => `/crm/associations/2026-03/${seg(fromType)}/${seg(toType)}/batch/read`,
  properties: (type) => `/crm/properties/2026-03/${seg(type)}`,
  property: (type, name) => `/crm/properties/2026-03/${seg(type)}/${seg(name)}`,
  propertyGroups: (type) => `/crm/properties/2026-03/${seg(type)}/groups`,
  propertyGroup: (type, name) => `/crm/properties/2026-03/${seg(type)}/groups/${seg(name)}`,
  accountDetails: () => '/account-info/2026-03/details',
};

export function hubspotPathsFor(version: HubSpotApiVersion): HubSpotPaths {
  return version === 'v3' ? crmV3Paths : crm202603Paths;
}

/**
 * The Webhooks Journal (2026-03): the client-credentials token, journal
 * subscriptions, and the global journal (every install of the app; events
 * carry their `portalId`).
 */
export const journalPaths = {
  token: '/oauth/v1/token',
  subscriptions: '/webhooks-journal/subscriptions/2026-03',
  subscription: (id: number | string) => `/webhooks-journal/subscriptions/2026-03/${seg(String(id))}`,
  earliest: '/webhooks-journal/journal/2026-03/earliest',
  latest: '/webhooks-journal/journal/2026-03/latest',
  next: (offset: string) => `/webhooks-journal/journal/2026-03/offset/${seg(offset)}/next`,
  batchNext: (offset: string, count: number) => `/webhooks-journal/journal/2026-03/batch/${seg(offset)}/next/${count}`,
} as const;
