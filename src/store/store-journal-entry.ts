import { durableTransaction, inTransaction, type Store } from './db.js';
import { insertEvents, type IngestItem, type IngestOutcome } from './ingest-events.js';
import { JournalLeaseLost } from './journal-lease.js';

export { JournalLeaseLost };

export interface StoreJournalEntryInput {
  name: string;
  owner: string;
  /** The offset the entry was read after (null: read as the earliest). */
  from: string | null;
  /** The entry's own offset: the new position. */
  to: string;
  items: IngestItem[];
  now: number;
  leaseMs: number;
}

/**
 * Stores a journal entry's events and moves the offset past it in ONE
 * durable transaction: a crash at any moment leaves either both or neither,
 * so no event is skipped and none is stored twice (the dedupe keys catch a
 * repeat besides). The offset moves only from `from` and only while
 * `owner` holds the lease; otherwise nothing is stored (JournalLeaseLost).
 */
export async function storeJournalEntry(store: Store, input: StoreJournalEntryInput): Promise<IngestOutcome[]> {
  return durableTransaction(store, async (trx) => {
    const moved = await trx
      .updateTable('journal_cursor')
      .set({ position: input.to, lease_until: input.now + input.leaseMs, updated_at: input.now })
      .where('name', '=', input.name)
      .where('leased_by', '=', input.owner)
      .where((eb) => (input.from === null ? eb('position', 'is', null) : eb('position', '=', input.from)))
      .executeTakeFirst();
    if (Number(moved.numUpdatedRows) !== 1) throw new JournalLeaseLost(input.name);
    return insertEvents(inTransaction(store, trx), input.items, input.now);
  });
}
