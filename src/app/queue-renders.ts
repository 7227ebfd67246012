/** `reelay render` and `reelay backfill`: manual requests stored as events with their renders, for `serve` to render. */
import type { Store } from '../store/db.js';
import { ingestEvents, type IngestItem, type IngestOutcome } from '../store/ingest-events.js';

export type { IngestItem, IngestOutcome };

/** Stores the events and their renders in one durable transaction; a repeated request adds nothing. */
export function queueRenders(store: Store, items: IngestItem[], now: number): Promise<IngestOutcome[]> {
  return ingestEvents(store, items, now);
}
