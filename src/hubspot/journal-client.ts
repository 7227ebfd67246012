/**
 * A thin client of HubSpot's Webhooks Journal (2026-03): journal
 * subscriptions, journal reads and the pre-signed files. Every API call
 * carries the client-credentials token (renewed once on a 401); the files
 * are fetched WITHOUT an Authorization header (they are pre-signed, and S3
 * refuses a second credential). An offset HubSpot no longer keeps answers
 * 404 and surfaces as `JournalOffsetExpired`; "nothing newer" (204) as null.
 */
import { gunzipSync } from 'node:zlib';
import { z } from 'zod';
import { systemClock, type Clock } from '../core/clock.js';
import { isProviderError, ProviderError } from '../core/errors.js';
import { decodeBody } from '../http-client/decode.js';
import { describeNetworkFailure } from '../http-client/network-failure.js';
import { createJsonHttp } from '../http-client/json-http.js';
import type { HttpRequest, ResponseInfo } from '../http-client/types.js';
import type { ClientCredentialsToken } from './client-credentials.js';
import { journalPaths } from './paths.js';

export interface JournalPointer {
  /** The entry's offset (a UUID). */
  offset: string;
  /** Where its file can be downloaded until `expiresAt`. */
  url: string;
  /** Epoch ms, when readable. */
  expiresAt: number | undefined;
}

export interface JournalSubscription {
  id: number;
  subscriptionType: string;
  portalId: number | undefined;
  objectTypeId: string | undefined;
  actions: string[];
  properties: string[];
  objectIds: number[];
}

export interface JournalSubscriptionInput {
  subscriptionType: 'OBJECT';
  portalId: number;
  actions: string[];
  objectTypeId: string;
  objectIds: number[];
  properties: string[];
}

export interface JournalClient {
  listSubscriptions(): Promise<JournalSubscription[]>;
  upsertSubscription(input: JournalSubscriptionInput): Promise<JournalSubscription>;
  /** The oldest entry kept, or null when the journal is empty. */
  earliest(): Promise<JournalPointer | null>;
  /** The entry after `offset`, or null when none is newer yet. Throws JournalOffsetExpired when `offset` is gone. */
  next(offset: string): Promise<JournalPointer | null>;
  /** An entry's file (parsed JSON, or the text when it is not JSON). */
  download(pointer: JournalPointer): Promise<unknown>;
}

export class JournalOffsetExpired extends Error {
  constructor(readonly offset: string) {
    super(`journal offset ${offset} is no longer kept by HubSpot`);
    this.name = 'JournalOffsetExpired';
  }
}

export interface JournalClientOptions {
  baseUrl: string;
  token: ClientCredentialsToken;
  timeoutMs: number;
  clock?: Clock;
  fetch?: typeof fetch;
  onResponse?: (info: ResponseInfo) => void;
}

const wirePointer = z.object({ currentOffset: z.string().min(1), url: z.string().min(1), expiresAt: z.string().optional() });
const wireSubscription = z
  .object({
    id: z.union([z.number(), z.string()]).transform(Number),
    subscriptionType: z.string().default('OBJECT'),
    portalId: z.union([z.number(), z.string()]).transform(Number).optional(),
    objectTypeId: z.string().optional(),
    actions: z.array(z.string()).default([]),
    properties: z.array(z.string()).nullish().transform((v) => v ?? []),
    objectIds: z.array(z.union([z.number(), z.string()]).transform(Number)).nullish().transform((v) => v ?? []),
  })
  .loose();
const wireSubscriptionList = z.object({ results: z.array(wireSubscription) });

export function createJournalClient(options: JournalClientOptions): JournalClient {
  const clock = options.clock ?? systemClock;
  const doFetch = options.fetch ?? globalThis.fetch;
  const http = createJsonHttp({
    baseUrl: options.baseUrl,
    headers: {},
    timeoutMs: options.timeoutMs,
    provider: 'hubspot',
    fetch: doFetch,
    clock,
    ...(options.onResponse ? { onResponse: options.onResponse } : {}),
  });

  /** With the token; a 401 drops it and tries once more with a fresh one. */
  async function authorised<T>(req: HttpRequest): Promise<{ status: number; data: T }> {
    for (let attempt = 1; ; attempt += 1) {
      const token = await options.token.get();
      try {
        return await http.request<T>({ ...req, headers: { authorization: `Bearer ${token}` } });
      } catch (err) {
        if (attempt === 1 && isProviderError(err) && err.status === 401) {
          options.token.invalidate(token);
          continue;
        }
        throw err;
      }
    }
  }

  async function pointerAt(operation: string, path: string): Promise<JournalPointer | null> {
    const res = await authorised<unknown>({ operation, method: 'GET', path });
    if (res.status === 204 || res.data === null) return null;
    const wire = decodeBody(wirePointer, res.data, { provider: 'hubspot', operation, method: 'GET', status: res.status });
    const expiresAt = wire.expiresAt === undefined ? Number.NaN : Date.parse(wire.expiresAt);
    return { offset: wire.currentOffset, url: wire.url, expiresAt: Number.isNaN(expiresAt) ? undefined : expiresAt };
  }

  return {
    async listSubscriptions() {
      const operation = 'journal.listSubscriptions';
      const res = await authorised<unknown>({ operation, method: 'GET', path: journalPaths.subscriptions });
      return decodeBody(wireSubscriptionList, res.data, { provider: 'hubspot', operation, method: 'GET', status: res.status }).results.map(toSubscription);
    },

    async upsertSubscription(input) {
      const operation = 'journal.upsertSubscription';
      const res = await authorised<unknown>({ operation, method: 'POST', path: journalPaths.subscriptions, body: input });
      return toSubscription(decodeBody(wireSubscription, res.data, { provider: 'hubspot', operation, method: 'POST', status: res.status }));
    },

    earliest: () => pointerAt('journal.earliest', journalPaths.earliest),

    async next(offset) {
      try {
        return await pointerAt('journal.next', journalPaths.next(offset));
      } catch (err) {
        if (isProviderError(err) && err.status === 404) throw new JournalOffsetExpired(offset);
        throw err;
      }
    },

    async download(pointer) {
      const operation = 'journal.download';
      let response: Response;
      let raw: string;
      try {
        // Deliberately no Authorization header: the URL carries its own signature.
        response = await doFetch(pointer.url, { method: 'GET', headers: { accept: 'application/json' }, signal: AbortSignal.timeout(options.timeoutMs) });
        raw = fileText(Buffer.from(await response.arrayBuffer()));
      } catch (err) {
        const failure = describeNetworkFailure(err);
        throw new ProviderError({ provider: 'hubspot', operation, code: failure.code, message: `journal file download failed: ${failure.detail}`, failureClass: 'retryable', cause: err });
      }
      if (!response.ok) {
        // 403 is an expired URL: the pointer is read again and the file fetched anew.
        throw new ProviderError({
          provider: 'hubspot',
          operation,
          status: response.status,
          code: response.status === 403 ? 'file_url_expired' : `http_${response.status}`,
          message: `journal file for offset ${pointer.offset} answered ${response.status}`,
          failureClass: 'retryable',
        });
      }
      try {
        return JSON.parse(raw) as unknown;
      } catch {
        return raw;
      }
    },
  };
}

/** The file's text; a gzip object served without Content-Encoding (the format is undocumented) is unpacked. */
function fileText(bytes: Buffer): string {
  if (bytes.length > 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      return gunzipSync(bytes).toString('utf8');
    } catch {
      // Not gzip after all: read it as it is.
    }
  }
  return bytes.toString('utf8');
}

function toSubscription(wire: z.output<typeof wireSubscription>): JournalSubscription {
  return {
    id: wire.id,
    subscriptionType: wire.subscriptionType,
    portalId: wire.portalId,
    objectTypeId: wire.objectTypeId,
    actions: wire.actions,
    properties: wire.properties,
    objectIds: wire.objectIds,
  };
}
