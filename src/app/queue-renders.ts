/** `reelay render` and `reelay backfill`: manual requests stored as events with their renders, for `serve` to render. */
import { receive } from '../engine/lifecycle.js';
import type { Store } from '../store/db.js';
import type { IngestItem, IngestOutcome } from '../store/ingest-events.js';

export type { IngestItem, IngestOutcome };

/** Stores the events and their renders in one durable transaction; a repeated request adds nothing. */
export function queueRenders(store: Store, items: IngestItem[], now: number): Promise<IngestOutcome[]> {
  return receive(store, items, now);
}
