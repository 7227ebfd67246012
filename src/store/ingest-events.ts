import type { Kysely } from 'kysely';
import { durableTransaction, type Store } from './db.js';
import type { Database, NewEvent, NewRender } from './schema.js';

export type RenderDraft = Omit<NewRender, 'event_id' | 'created_at' | 'updated_at' | 'run_at' | 'state' | 'attempts'>;

export interface IngestItem {
  event: Omit<NewEvent, 'received_at'>;
  /** Renders this event starts (empty when ignored). */
  renders: RenderDraft[];
}

export interface IngestOutcome {
  duplicate: boolean;
  renderIds: number[];
}

/** Rows per multi-row INSERT (well under SQLite's limit of bound parameters). */
const CHUNK = 200;

/**
 * Stores inbound events and the renders they start, all in one durable
 * transaction (`durable: false` for events that are only hints, such as
 * HeyGen callbacks: losing one to a power cut is repaired by polling).
 * An event whose dedupe key is already stored, or repeated within the
 * batch, is a duplicate delivery: it adds nothing. Intake answers 2xx only
 * after this commits. Rows go in as multi-row inserts, one per table and
 * chunk, so a group-committed batch of webhooks costs a handful of
 * statements.
 */
export async function ingestEvents(store: Store, items: IngestItem[], now: number, opts: { durable?: boolean } = {}): Promise<IngestOutcome[]> {
  const work = (trx: Kysely<Database>) => insertEvents(trx, items, now);
  return opts.durable === false ? store.db.transaction().execute(work) : durableTransaction(store, work);
}

/** The inserts of `ingestEvents`, inside a transaction the caller holds (the journal poller adds its offset to it). */
export async function insertEvents(trx: Kysely<Database>, items: IngestItem[], now: number): Promise<IngestOutcome[]> {
  const firstOfKey = new Map<string, number>();
  items.forEach((item, i) => {
    if (!firstOfKey.has(item.event.dedupe_key)) firstOfKey.set(item.event.dedupe_key, i);
  });
  const eventIds = new Map<string, number>();
  for (const chunk of chunks([...firstOfKey.values()].map((i) => (items[i] as IngestItem).event))) {
    const inserted = await trx
      .insertInto('events')
      .values(chunk.map((event) => ({ ...event, received_at: now })))
      .onConflict((oc) => oc.column('dedupe_key').doNothing())
      .returning(['id', 'dedupe_key'])
      .execute();
    for (const row of inserted) eventIds.set(row.dedupe_key, row.id);
  }

  const fresh = items.filter((item, i) => firstOfKey.get(item.event.dedupe_key) === i && eventIds.has(item.event.dedupe_key));
  const drafts = fresh.flatMap((item) =>
    item.renders.map((draft) => ({ ...draft, event_id: eventIds.get(item.event.dedupe_key) as number, state: 'received' as const, attempts: 0, run_at: now, created_at: now, updated_at: now })),
  );
  const renderIds = new Map<string, number>();
  for (const chunk of chunks(drafts)) {
    const inserted = await trx.insertInto('renders').values(chunk).returning(['id', 'event_id', 'campaign_id', 'object_id']).execute();
    for (const row of inserted) renderIds.set(renderOf(row.event_id as number, row.campaign_id, row.object_id), row.id);
  }
  const timeline = fresh.flatMap((item) =>
    item.renders.map((draft) => ({
      render_id: renderIds.get(renderOf(eventIds.get(item.event.dedupe_key) as number, draft.campaign_id, draft.object_id)) as number,
      at: now,
      from_state: null,
      to_state: 'received',
      note: `triggered by ${item.event.kind} event`,
    })),
  );
  for (const chunk of chunks(timeline)) await trx.insertInto('render_timeline').values(chunk).execute();

  return items.map((item, i) => {
    const stored = firstOfKey.get(item.event.dedupe_key) === i && eventIds.has(item.event.dedupe_key);
    if (!stored) return { duplicate: true, renderIds: [] };
    const eventId = eventIds.get(item.event.dedupe_key) as number;
    return { duplicate: false, renderIds: item.renders.map((d) => renderIds.get(renderOf(eventId, d.campaign_id, d.object_id)) as number) };
  });
}

/** An event starts at most one render per campaign and record. */
function renderOf(eventId: number, campaignId: string, objectId: string): string {
  return `${eventId}|${campaignId}|${objectId}`;
}

function chunks<T>(rows: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += CHUNK) out.push(rows.slice(i, i + CHUNK));
  return out;
}
