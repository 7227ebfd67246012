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

/**
 * Stores inbound events and the renders they start, all in one durable
 * transaction (`durable: false` for events that are only hints, such as
 * HeyGen callbacks: losing one to a power cut is repaired by polling).
 * An event whose dedupe key is already stored is a duplicate delivery: it
 * adds nothing. Intake answers 2xx only after this commits.
 */
export async function ingestEvents(store: Store, items: IngestItem[], now: number, opts: { durable?: boolean } = {}): Promise<IngestOutcome[]> {
  const work = async (trx: Kysely<Database>): Promise<IngestOutcome[]> => {
    const outcomes: IngestOutcome[] = [];
    for (const item of items) {
      const inserted = await trx
        .insertInto('events')
        .values({ ...item.event, received_at: now })
        .onConflict((oc) => oc.column('dedupe_key').doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!inserted) {
        outcomes.push({ duplicate: true, renderIds: [] });
        continue;
      }
      const renderIds: number[] = [];
      for (const draft of item.renders) {
        const render = await trx
          .insertInto('renders')
          .values({ ...draft, event_id: inserted.id, state: 'received', attempts: 0, run_at: now, created_at: now, updated_at: now })
          .returning('id')
          .executeTakeFirstOrThrow();
        await trx
          .insertInto('render_timeline')
          .values({ render_id: render.id, at: now, from_state: null, to_state: 'received', note: `triggered by ${item.event.kind} event` })
          .execute();
        renderIds.push(render.id);
      }
      outcomes.push({ duplicate: false, renderIds });
    }
    return outcomes;
  };
  return opts.durable === false ? store.db.transaction().execute(work) : durableTransaction(store, work);
}
