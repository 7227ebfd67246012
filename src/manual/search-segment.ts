/**
 * Every record of a segment, from HubSpot's search: pages of 200, in the
 * search lane of the HubSpot budget (about 5 requests a second, shared with
 * nothing else HubSpot limits). Search reaches at most 10,000 results of a
 * query, so results are sorted by record id and, when a query has more, the
 * next query continues after the last id seen (`hs_object_id > last`).
 * Retryable failures (429, 5xx, timeouts) are retried with backoff: search
 * only reads, so repeating it is safe.
 */
import { retryDelay } from '../core/backoff.js';
import type { Random } from '../core/clock.js';
import { isProviderError } from '../core/errors.js';
import { hubspotCall } from '../engine/provider-calls.js';
import type { SearchFilter, SearchRequest, SearchResult } from '../hubspot/types.js';
import type { SourceReader } from '../engine/read-sources.js';

export const SEARCH_PAGE = 200;
const MAX_ATTEMPTS = 6;
const RETRY_BASE_MS = 1_000;
const RETRY_CAP_MS = 30_000;

export interface SegmentPage {
  ids: string[];
  /** How many records the segment holds (capped by the limit), as HubSpot counted at the start. */
  total: number;
}

export interface SegmentOptions {
  /** Stop after this many records. */
  limit?: number;
  random: Random;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function searchWithRetry(reader: SourceReader, objectType: string, request: SearchRequest, opts: SegmentOptions): Promise<SearchResult> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await hubspotCall(reader, () => reader.hubspot.search(objectType, request), 'search');
    } catch (err) {
      if (!isProviderError(err) || !err.retryable || attempt >= MAX_ATTEMPTS) throw err;
      const wait = retryDelay({ attempt, baseMs: RETRY_BASE_MS, capMs: RETRY_CAP_MS, random: opts.random, retryAfterMs: err.retryAfterMs });
      await (opts.sleep ?? defaultSleep)(wait);
    }
  }
}

function searchRequest(filters: SearchFilter[], afterId: string | null, cursor: string | undefined): SearchRequest {
  return {
    filterGroups: [{ filters: afterId === null ? filters : [...filters, { propertyName: 'hs_object_id', operator: 'GT', value: afterId }] }],
    properties: ['hs_object_id'],
    sorts: [{ propertyName: 'hs_object_id', direction: 'ASCENDING' }],
    limit: SEARCH_PAGE,
    ...(cursor === undefined ? {} : { after: cursor }),
  };
}

export async function* searchSegment(reader: SourceReader, objectType: string, filters: SearchFilter[], opts: SegmentOptions): AsyncGenerator<SegmentPage> {
  const limit = opts.limit ?? Infinity;
  let total: number | undefined;
  let delivered = 0;
  let afterId: string | null = null;
  for (;;) {
    let cursor: string | undefined;
    let seenInQuery = 0;
    let queryTotal = 0;
    let lastId: string | null = null;
    for (;;) {
      const page = await searchWithRetry(reader, objectType, searchRequest(filters, afterId, cursor), opts);
      total ??= Math.min(page.total, limit);
      queryTotal = page.total;
      seenInQuery += page.results.length;
      lastId = page.results.at(-1)?.id ?? lastId;
      const ids = page.results.map((r) => r.id).slice(0, limit - delivered);
      if (ids.length > 0) {
        delivered += ids.length;
        yield { ids, total };
      }
      if (delivered >= limit) return;
      if (page.nextAfter === null || page.results.length === 0) break;
      cursor = page.nextAfter;
    }
    // This query could not reach all of its results: continue after the last id seen.
    if (seenInQuery >= queryTotal || lastId === null || lastId === afterId) return;
    afterId = lastId;
  }
}
