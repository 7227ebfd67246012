/**
 * Walks a newest-first, cursor-paged listing back to a point in time, looking
 * for one item. It answers "absent" only when the listing provably covered
 * the whole window: it ran out, or it reached items older than `since`.
 */
import { ProviderError } from '../core/errors.js';
import type { Provider } from '../core/errors.js';

export interface ListingPage<T> {
  items: T[];
  nextToken: string | null;
}

export interface NewestFirstScan<T, R> {
  provider: Provider;
  operation: string;
  /** Epoch ms; items created before it are outside the window. */
  since: number;
  maxPages: number;
  fetchPage(token: string | undefined): Promise<ListingPage<T>>;
  createdAt(item: T): number | undefined;
  match(item: T): R | undefined;
}

export async function scanNewestFirst<T, R>(scan: NewestFirstScan<T, R>): Promise<R | null> {
  let token: string | undefined;
  for (let page = 0; page < scan.maxPages; page += 1) {
    const { items, nextToken } = await scan.fetchPage(token);
    let reachedStart = false;
    for (const item of items) {
      const found = scan.match(item);
      if (found !== undefined) return found;
      const created = scan.createdAt(item);
      if (created !== undefined && created < scan.since) reachedStart = true;
    }
    if (reachedStart || nextToken === null || nextToken === '' || nextToken === token) return null;
    token = nextToken;
  }
  throw new ProviderError({
    provider: scan.provider,
    operation: scan.operation,
    code: 'lookup_incomplete',
    message: `read ${scan.maxPages} pages without reaching ${new Date(scan.since).toISOString()}; cannot prove the item absent`,
    // Reading again would hit the same wall; an operator has to look.
    failureClass: 'permanent',
  });
}
