/**
 * The HubSpot CRM vocabulary the rest of Reelay sees, and the wire shapes the
 * client checks answers against (lenient: unknown keys are dropped, numbers
 * where HubSpot promises strings are accepted).
 */
import { z } from 'zod';
import type { Clock } from '../core/clock.js';
import type { FailureClass } from '../core/errors.js';
import type { RateLimitHeaders } from '../http-client/rate-limit-headers.js';
import type { ResponseInfo } from '../http-client/types.js';
import type { HubSpotPaths } from './paths.js';

export interface CrmRecord {
  id: string;
  properties: Record<string, string | null>;
  updatedAt?: string;
}

export interface BatchReadResult {
  records: CrmRecord[];
  /** Requested ids HubSpot has no record for (deleted or never existed). */
  missing: string[];
}

export interface BatchUpdateInput {
  id: string;
  properties: Record<string, string>;
}

export interface BatchRowFailure {
  /** Null when HubSpot named no row and the row could not be inferred. */
  id: string | null;
  category: string;
  message: string;
  failureClass: FailureClass;
}

export interface BatchUpdateResult {
  updated: string[];
  failed: BatchRowFailure[];
}

export type SearchOperator =
  | 'EQ'
  | 'NEQ'
  | 'LT'
  | 'LTE'
  | 'GT'
  | 'GTE'
  | 'BETWEEN'
  | 'IN'
  | 'NOT_IN'
  | 'HAS_PROPERTY'
  | 'NOT_HAS_PROPERTY'
  | 'CONTAINS_TOKEN'
  | 'NOT_CONTAINS_TOKEN';

export interface SearchFilter {
  propertyName: string;
  operator: SearchOperator;
  value?: string;
  highValue?: string;
  values?: string[];
}

export interface SearchSort {
  propertyName: string;
  direction: 'ASCENDING' | 'DESCENDING';
}

export interface SearchRequest {
  filterGroups: { filters: SearchFilter[] }[];
  properties: string[];
  /** At most 200. */
  limit: number;
  after?: string;
  sorts?: SearchSort[];
}

/** An association made with a create: `{ to: { id }, types: [{ associationCategory, associationTypeId }] }`. */
export interface AssociationInput {
  to: { id: string };
  types: { associationCategory: 'HUBSPOT_DEFINED' | 'USER_DEFINED'; associationTypeId: number }[];
}

export interface SearchResult {
  total: number;
  results: CrmRecord[];
  nextAfter: string | null;
}

export interface Association {
  toObjectId: string;
  labels: string[];
  typeIds: number[];
}

export interface PropertyOption {
  label: string;
  value: string;
  displayOrder?: number;
  hidden?: boolean;
}

export interface PropertyDefinition {
  name: string;
  label: string;
  /** `string`, `enumeration`, `number`, `date`, `datetime`, `bool`. */
  type: string;
  /** `text`, `select`, `textarea`, `booleancheckbox`, ... */
  fieldType: string;
  groupName: string;
  description?: string;
  options?: PropertyOption[];
}

export type PropertyPatch = Partial<Omit<PropertyDefinition, 'name'>>;

export interface HubSpotProperty extends PropertyDefinition {
  hidden?: boolean;
  hubspotDefined?: boolean;
}

export interface PropertyGroup {
  name: string;
  label: string;
  displayOrder?: number;
}

/** `GET /account-info/{v3|2026-03}/details`, the parts Reelay reads. */
export interface AccountDetails {
  portalId: number;
  /** IANA name as HubSpot sends it (e.g. `US/Eastern`); HubSpot's daily limit resets at its midnight. */
  timeZone: string;
  /** `STANDARD`, `SANDBOX`, `DEVELOPER_TEST`, `APP_DEVELOPER`. */
  accountType?: string;
  uiDomain?: string;
  dataHostingLocation?: string;
}

export interface HubSpotClientOptions {
  baseUrl: string;
  /** A bearer token, whatever issued it (private app, OAuth, service key). */
  accessToken: string;
  timeoutMs: number;
  onResponse?: (info: ResponseInfo) => void;
  fetch?: typeof fetch;
  clock?: Clock;
  /** Defaults to the `/crm/v3` paths (the service passes the ones `hubspot.apiVersion` names). */
  paths?: HubSpotPaths;
}

export interface HubSpotClient {
  /** Null when the record does not exist. */
  getObject(type: string, id: string, properties: string[]): Promise<CrmRecord | null>;
  /** At most 100 ids (more is a caller bug and throws a plain Error). */
  batchRead(type: string, ids: string[], properties: string[]): Promise<BatchReadResult>;
  updateObject(type: string, id: string, properties: Record<string, string>): Promise<CrmRecord>;
  /** Creates a record (e.g. a note), with HUBSPOT_DEFINED associations made in the same call. */
  createObject(type: string, properties: Record<string, string>, associations?: AssociationInput[]): Promise<CrmRecord>;
  /** At most 100 inputs with distinct ids; rows fail one by one (207). */
  batchUpdate(type: string, inputs: BatchUpdateInput[]): Promise<BatchUpdateResult>;
  search(type: string, request: SearchRequest): Promise<SearchResult>;
  /** Follows `after` paging to the end. */
  getAssociations(fromType: string, id: string, toType: string): Promise<Association[]>;
  /** Every requested id is a key; ids without associations map to `[]`. */
  batchAssociations(fromType: string, toType: string, ids: string[]): Promise<Map<string, Association[]>>;
  getProperty(type: string, name: string): Promise<HubSpotProperty | null>;
  listProperties(type: string): Promise<HubSpotProperty[]>;
  createProperty(type: string, definition: PropertyDefinition): Promise<HubSpotProperty>;
  updateProperty(type: string, name: string, patch: PropertyPatch): Promise<HubSpotProperty>;
  getPropertyGroup(type: string, name: string): Promise<PropertyGroup | null>;
  createPropertyGroup(type: string, group: PropertyGroup): Promise<PropertyGroup>;
  /**
   * A cheap authenticated read (`GET objects/{type}?limit=1`) for `doctor`:
   * throws the classified error (401 bad token, 403 missing scope), else
   * returns the rate-limit headers of the answer.
   */
  probe(type: string): Promise<RateLimitHeaders | null>;
  /**
   * What HubSpot's token metadata endpoint (`GET /oauth/v1/access-tokens/{token}`)
   * says about this client's token; null when it does not know the token
   * (400/404: e.g. a legacy private app token).
   */
  accessTokenInfo(): Promise<TokenInfo | null>;
  /** The same from the private-app token endpoint; null when it does not know the token. */
  privateAppTokenInfo(): Promise<TokenInfo | null>;
  /**
   * The account's id and time zone (account-info). The first answer is kept
   * for the client's life; a failure is not, so a later call asks again.
   * Once known, the zone also dates a DAILY 429 that sent no `Retry-After`.
   */
  accountDetails(): Promise<AccountDetails>;
}

/** A token as HubSpot describes it (fields absent when the answer lacks them). */
export interface TokenInfo {
  /** Which endpoint answered. */
  source: 'access-token' | 'private-app';
  scopes: string[];
  hubId?: number;
  appId?: number;
  tokenType?: string;
  /** `signed_access_token.isServiceAccount`. */
  serviceAccount?: boolean;
  /** `is_private_distribution`. */
  privateDistribution?: boolean;
}

// ---- wire shapes -----------------------------------------------------------

const idString = z.union([z.string(), z.number()]).transform(String);
const propertyValue = z
  .union([z.string(), z.number(), z.boolean(), z.null()])
  .transform((v) => (v === null ? null : String(v)));

export const wireCrmObject = z.object({
  id: idString,
  properties: z.record(z.string(), propertyValue).default({}),
  updatedAt: z.string().optional(),
});

const contextValue = z.union([z.string(), z.array(z.string())]);

export const wireBatchError = z.object({
  category: z.string().default('UNKNOWN'),
  message: z.string().default(''),
  context: z.record(z.string(), contextValue).optional(),
});
export type WireBatchError = z.output<typeof wireBatchError>;

export const wireBatchResponse = z.object({
  results: z.array(wireCrmObject).default([]),
  errors: z.array(wireBatchError).default([]),
});

const wirePaging = z.object({ next: z.object({ after: idString }).optional() }).optional();

export const wireSearchResponse = z.object({
  total: z.number().default(0),
  results: z.array(wireCrmObject).default([]),
  paging: wirePaging,
});

const wireAssociationTarget = z.object({
  toObjectId: idString,
  associationTypes: z
    .array(z.object({ typeId: z.number(), label: z.string().nullish() }))
    .default([]),
});

export const wireAssociationsPage = z.object({
  results: z.array(wireAssociationTarget).default([]),
  paging: wirePaging,
});

export const wireBatchAssociations = z.object({
  results: z
    .array(z.object({ from: z.object({ id: idString }), to: z.array(wireAssociationTarget).default([]), paging: wirePaging }))
    .default([]),
  errors: z.array(wireBatchError).default([]),
});

const wireOption = z.object({
  label: z.string(),
  value: z.string(),
  displayOrder: z.number().optional(),
  hidden: z.boolean().optional(),
});

export const wireAccessTokenInfo = z.object({
  token_type: z.string().optional(),
  scopes: z.array(z.string()).default([]),
  hub_id: z.number().optional(),
  app_id: z.number().optional(),
  is_private_distribution: z.boolean().optional(),
  signed_access_token: z.object({ isServiceAccount: z.boolean().optional() }).optional(),
});

export const wirePrivateAppTokenInfo = z.object({
  scopes: z.array(z.string()).default([]),
  hubId: z.number().optional(),
  appId: z.number().optional(),
});

export const wireProperty = z.object({
  name: z.string(),
  label: z.string(),
  type: z.string(),
  fieldType: z.string(),
  groupName: z.string(),
  description: z.string().optional(),
  options: z.array(wireOption).optional(),
  hidden: z.boolean().optional(),
  hubspotDefined: z.boolean().optional(),
});

export const wirePropertyList = z.object({ results: z.array(wireProperty).default([]) });

export const wirePropertyGroup = z.object({
  name: z.string(),
  label: z.string(),
  displayOrder: z.number().optional(),
});

const optionalText = z
  .string()
  .nullish()
  .transform((v) => v ?? undefined);

export const wireAccountDetails = z.object({
  portalId: z.union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)]),
  timeZone: z.string(),
  accountType: optionalText,
  uiDomain: optionalText,
  dataHostingLocation: optionalText,
});
