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
}

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
