/**
 * A thin typed client over HubSpot's CRM API. It returns data or throws a
 * classified `ProviderError`; what happens next to a render is the engine's
 * call. 207 answers are split per row here, because only here is the wire
 * shape known.
 */
import type { z } from 'zod';
import { isProviderError, ProviderError } from '../core/errors.js';
import type { FailureClass } from '../core/errors.js';
import { createDecodedCall } from '../http-client/decode.js';
import { createJsonHttp } from '../http-client/json-http.js';
import { nullOn404 } from '../http-client/not-found.js';
import { readRateLimitHeaders } from '../http-client/rate-limit-headers.js';
import type { FailureFacts } from '../http-client/types.js';
import { isTimeZone, msUntilNextMidnight } from '../core/zoned-day.js';
import { crmV3Paths, oauthPaths } from './paths.js';
import {
  wireAccessTokenInfo,
  wireAccountDetails,
  wireAssociationsPage,
  wireBatchAssociations,
  wireBatchResponse,
  wireCrmObject,
  wireProperty,
  wirePrivateAppTokenInfo,
  wirePropertyGroup,
  wirePropertyList,
  wireSearchResponse,
} from './types.js';
import type {
  AccountDetails,
  Association,
  BatchRowFailure,
  BatchUpdateInput,
  BatchUpdateResult,
  CrmRecord,
  HubSpotClient,
  HubSpotClientOptions,
  TokenInfo,
  WireBatchError,
} from './types.js';

const MAX_BATCH = 100;
const ASSOCIATIONS_PAGE = 500;

/**
 * How long to wait after a HubSpot 429 that sent no `Retry-After` (HubSpot
 * does not promise one). The rolling 10-second window's remainder is unknown,
 * so a second is waited and the engine's limiter does the rest; the daily
 * quota resets at midnight in the account's time zone (UTC until known).
 */
export function hubspotRetryAfter(facts: FailureFacts, nowMs: number, timeZone = 'UTC'): number | undefined {
  if (facts.status !== 429) return undefined;
  switch (facts.policy) {
    case 'TEN_SECONDLY_ROLLING':
    case 'SECONDLY':
      return 1000;
    case 'DAILY':
      return msUntilNextMidnight(nowMs, isTimeZone(timeZone) ? timeZone : 'UTC');
    default:
      return undefined;
  }
}

/** A row error's category says whether that row can succeed later. */
export function classifyRowCategory(category: string): FailureClass {
  const upper = category.toUpperCase();
  if (/RATE_LIMIT|LOCKED|INTERNAL|TIMEOUT|UNAVAILABLE|TOO_MANY/.test(upper)) return 'retryable';
  if (/AUTHENTICATION|SCOPE|FORBIDDEN|UNAUTHORIZED/.test(upper)) return 'blocking';
  return 'permanent';
}

function contextIds(error: WireBatchError): string[] {
  const context = error.context ?? {};
  const ids = context.ids ?? context.id ?? [];
  return Array.isArray(ids) ? ids : [ids];
}

function toRecord(wire: z.output<typeof wireCrmObject>): CrmRecord {
  return wire.updatedAt === undefined
    ? { id: wire.id, properties: wire.properties }
    : { id: wire.id, properties: wire.properties, updatedAt: wire.updatedAt };
}

function toAssociation(wire: z.output<typeof wireAssociationsPage>['results'][number]): Association {
  return {
    toObjectId: wire.toObjectId,
    labels: wire.associationTypes.map((t) => t.label).filter((l): l is string => typeof l === 'string' && l !== ''),
    typeIds: wire.associationTypes.map((t) => t.typeId),
  };
}

/** Null when HubSpot says it does not know the token (400 or 404); other failures throw. */
async function nullOnUnknownToken<T>(pending: Promise<T>): Promise<T | null> {
  try {
    return await pending;
  } catch (err) {
    if (isProviderError(err) && (err.status === 400 || err.status === 404)) return null;
    throw err;
  }
}

/** Only the fields HubSpot sent. */
function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function assertBatchSize(operation: string, count: number): void {
  if (count > MAX_BATCH) throw new Error(`${operation}: ${count} items given, HubSpot takes at most ${MAX_BATCH}`);
}

function rowError(operation: string, error: WireBatchError): ProviderError {
  return new ProviderError({
    provider: 'hubspot',
    operation,
    status: 207,
    code: error.category,
    message: error.message || `row failed with ${error.category}`,
    failureClass: classifyRowCategory(error.category),
  });
}

/** Whether `id` occurs in `text` as a whole token (HubSpot sometimes names the row only in prose). */
function mentions(text: string, id: string): boolean {
  const escaped = id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![A-Za-z0-9])${escaped}(?![A-Za-z0-9])`).test(text);
}

/**
 * Attributes each 207 row error to an input id: from `context.ids`/`context.id`,
 * else from an id quoted in the message, else to the single input left
 * unaccounted for. Failing all of these the row's id is null.
 */
function splitBatchUpdate(inputIds: string[], updated: string[], errors: WireBatchError[]): BatchRowFailure[] {
  const failed: BatchRowFailure[] = [];
  const accounted = new Set(updated);
  const unresolved: WireBatchError[] = [];
  const failure = (id: string | null, e: WireBatchError): BatchRowFailure => ({
    id,
    category: e.category,
    message: e.message,
    failureClass: classifyRowCategory(e.category),
  });

  for (const error of errors) {
    const ids = contextIds(error);
    if (ids.length === 0) {
      unresolved.push(error);
      continue;
    }
    for (const id of ids) {
      failed.push(failure(id, error));
      accounted.add(id);
    }
  }
  for (const error of unresolved) {
    const open = inputIds.filter((id) => !accounted.has(id));
    const named = open.filter((id) => mentions(error.message, id));
    const id = named.length === 1 ? named[0] : open.length === 1 ? open[0] : undefined;
    failed.push(failure(id ?? null, error));
    if (id !== undefined) accounted.add(id);
  }
  return failed;
}

export function createHubSpotClient(options: HubSpotClientOptions): HubSpotClient {
  const paths = options.paths ?? crmV3Paths;
  let account: Promise<AccountDetails> | null = null;
  let accountZone = 'UTC';
  const http = createJsonHttp({
    baseUrl: options.baseUrl,
    headers: { authorization: `Bearer ${options.accessToken}` },
    timeoutMs: options.timeoutMs,
    provider: 'hubspot',
    fetch: options.fetch,
    clock: options.clock,
    onResponse: options.onResponse,
    secrets: [options.accessToken],
    retryAfterFallback: (facts, nowMs) => hubspotRetryAfter(facts, nowMs, accountZone),
  });

  const call = createDecodedCall(http, 'hubspot');

  async function associationPages(fromType: string, id: string, toType: string, after?: string): Promise<Association[]> {
    const found: Association[] = [];
    const seen = new Set<string>();
    let cursor = after;
    do {
      const { data } = await call(
        {
          operation: 'crm.getAssociations',
          method: 'GET',
          path: paths.associations(fromType, id, toType),
          query: { limit: ASSOCIATIONS_PAGE, after: cursor },
        },
        wireAssociationsPage,
      );
      found.push(...data.results.map(toAssociation));
      if (cursor !== undefined) seen.add(cursor);
      cursor = data.paging?.next?.after;
    } while (cursor !== undefined && !seen.has(cursor));
    return found;
  }

  return {
    async getObject(type, id, properties) {
      const res = await nullOn404(
        call(
          {
            operation: 'crm.getObject',
            method: 'GET',
            path: paths.object(type, id),
            query: { properties: properties.join(',') || undefined },
          },
          wireCrmObject,
        ),
      );
      return res === null ? null : toRecord(res.data);
    },

    async batchRead(type, ids, properties) {
      const unique = [...new Set(ids)];
      assertBatchSize('crm.batchRead', unique.length);
      if (unique.length === 0) return { records: [], missing: [] };
      const operation = 'crm.batchRead';
      const { data } = await call(
        {
          operation,
          method: 'POST',
          path: paths.batchRead(type),
          body: { inputs: unique.map((id) => ({ id })), properties },
        },
        wireBatchResponse,
      );
      const other = data.errors.find((e) => e.category !== 'OBJECT_NOT_FOUND');
      if (other) throw rowError(operation, other);
      const records = data.results.map(toRecord);
      const found = new Set(records.map((r) => r.id));
      return { records, missing: unique.filter((id) => !found.has(id)) };
    },

    async updateObject(type, id, properties) {
      const { data } = await call(
        { operation: 'crm.updateObject', method: 'PATCH', path: paths.object(type, id), body: { properties } },
        wireCrmObject,
      );
      return toRecord(data);
    },

    async createObject(type, properties, associations = []) {
      const { data } = await call(
        {
          operation: 'crm.createObject',
          method: 'POST',
          path: paths.objects(type),
          body: { properties, ...(associations.length > 0 ? { associations } : {}) },
        },
        wireCrmObject,
      );
      return toRecord(data);
    },

    async batchUpdate(type, inputs: BatchUpdateInput[]): Promise<BatchUpdateResult> {
      assertBatchSize('crm.batchUpdate', inputs.length);
      const inputIds = inputs.map((i) => i.id);
      if (new Set(inputIds).size !== inputIds.length) {
        throw new Error('crm.batchUpdate: duplicate ids in one batch (HubSpot rejects the whole batch); coalesce them first');
      }
      if (inputs.length === 0) return { updated: [], failed: [] };
      const { data } = await call(
        {
          operation: 'crm.batchUpdate',
          method: 'POST',
          path: paths.batchUpdate(type),
          body: { inputs: inputs.map((i) => ({ id: i.id, properties: i.properties })) },
        },
        wireBatchResponse,
      );
      const updated = data.results.map((r) => r.id);
      return { updated, failed: splitBatchUpdate(inputIds, updated, data.errors) };
    },

    async search(type, request) {
      const { data } = await call(
        { operation: 'crm.search', method: 'POST', path: paths.search(type), body: request },
        wireSearchResponse,
      );
      return { total: data.total, results: data.results.map(toRecord), nextAfter: data.paging?.next?.after ?? null };
    },

    getAssociations(fromType, id, toType) {
      return associationPages(fromType, id, toType);
    },

    async batchAssociations(fromType, toType, ids) {
      const unique = [...new Set(ids)];
      const byId = new Map<string, Association[]>(unique.map((id) => [id, []]));
      const operation = 'crm.batchAssociations';
      for (let start = 0; start < unique.length; start += MAX_BATCH) {
        const chunk = unique.slice(start, start + MAX_BATCH);
        const { data } = await call(
          {
            operation,
            method: 'POST',
            path: paths.batchAssociations(fromType, toType),
            body: { inputs: chunk.map((id) => ({ id })) },
          },
          wireBatchAssociations,
        );
        // OBJECT_NOT_FOUND is how HubSpot says "this record has none".
        const other = data.errors.find((e) => e.category !== 'OBJECT_NOT_FOUND');
        if (other) throw rowError(operation, other);
        for (const result of data.results) {
          const list = byId.get(result.from.id) ?? [];
          list.push(...result.to.map(toAssociation));
          const rest = result.paging?.next?.after;
          if (rest !== undefined) list.push(...(await associationPages(fromType, result.from.id, toType, rest)));
          byId.set(result.from.id, list);
        }
      }
      return byId;
    },

    async getProperty(type, name) {
      const res = await nullOn404(
        call({ operation: 'properties.get', method: 'GET', path: paths.property(type, name) }, wireProperty),
      );
      return res === null ? null : res.data;
    },

    async listProperties(type) {
      const { data } = await call(
        { operation: 'properties.list', method: 'GET', path: paths.properties(type) },
        wirePropertyList,
      );
      return data.results;
    },

    async createProperty(type, definition) {
      const { data } = await call(
        { operation: 'properties.create', method: 'POST', path: paths.properties(type), body: definition },
        wireProperty,
      );
      return data;
    },

    async updateProperty(type, name, patch) {
      const { data } = await call(
        { operation: 'properties.update', method: 'PATCH', path: paths.property(type, name), body: patch },
        wireProperty,
      );
      return data;
    },

    async getPropertyGroup(type, name) {
      const res = await nullOn404(
        call({ operation: 'propertyGroups.get', method: 'GET', path: paths.propertyGroup(type, name) }, wirePropertyGroup),
      );
      return res === null ? null : res.data;
    },

    async createPropertyGroup(type, group) {
      const { data } = await call(
        { operation: 'propertyGroups.create', method: 'POST', path: paths.propertyGroups(type), body: group },
        wirePropertyGroup,
      );
      return data;
    },

    async probe(type) {
      const res = await http.request<unknown>({
        operation: 'crm.probe',
        method: 'GET',
        path: paths.objects(type),
        query: { limit: 1 },
      });
      return readRateLimitHeaders(res.headers);
    },

    async accessTokenInfo(): Promise<TokenInfo | null> {
      const res = await nullOnUnknownToken(
        call({ operation: 'oauth.accessTokenInfo', method: 'GET', path: oauthPaths.accessTokenInfo(options.accessToken) }, wireAccessTokenInfo),
      );
      if (res === null) return null;
      const d = res.data;
      return defined<TokenInfo>({
        source: 'access-token',
        scopes: d.scopes,
        hubId: d.hub_id,
        appId: d.app_id,
        tokenType: d.token_type,
        serviceAccount: d.signed_access_token?.isServiceAccount,
        privateDistribution: d.is_private_distribution,
      });
    },

    async privateAppTokenInfo(): Promise<TokenInfo | null> {
      const res = await nullOnUnknownToken(
        call(
          { operation: 'oauth.privateAppTokenInfo', method: 'POST', path: oauthPaths.privateAppTokenInfo(), body: { tokenKey: options.accessToken } },
          wirePrivateAppTokenInfo,
        ),
      );
      if (res === null) return null;
      return defined<TokenInfo>({ source: 'private-app', scopes: res.data.scopes, hubId: res.data.hubId, appId: res.data.appId });
    },

    accountDetails() {
      account ??= call({ operation: 'account.details', method: 'GET', path: paths.accountDetails() }, wireAccountDetails).then(
        ({ data }) => {
          const details: AccountDetails = { portalId: data.portalId, timeZone: data.timeZone };
          if (data.accountType !== undefined) details.accountType = data.accountType;
          if (data.uiDomain !== undefined) details.uiDomain = data.uiDomain;
          if (data.dataHostingLocation !== undefined) details.dataHostingLocation = data.dataHostingLocation;
          if (isTimeZone(details.timeZone)) accountZone = details.timeZone;
          return details;
        },
        (err: unknown) => {
          account = null;
          throw err;
        },
      );
      return account;
    },
  };
}
