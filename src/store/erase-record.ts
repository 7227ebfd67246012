import type { Kysely } from 'kysely';
import { ERASED_NOTE, ERASURE_NOTE, eraseRender, PRIVACY_CANCEL_NOTE, type ErasureCounts } from '../core/erasure.js';
import { durableTransaction, type Store } from './db.js';
import type { Database } from './schema.js';

export interface EraseRecordInput {
  objectType: string;
  objectId: string;
  /** Only these portals' record; every portal's when absent (`reelay forget`). */
  portalIds?: string[];
  /** Queue the renders' HeyGen videos for deletion at HeyGen (`privacy.deleteVideos`). */
  deleteVideos: boolean;
  now: number;
}

/**
 * Tables keyed by `render_id` that hold a person's video data (what they did
 * with it, images made from it): every row of an erased render goes. A table
 * is one line here, e.g.
 * `(db, ids) => deletedRows(db.deleteFrom('engagement').where('render_id', 'in', ids))`.
 */
const RENDER_DATA: Array<(db: Kysely<Database>, renderIds: number[]) => Promise<number>> = [
  // Reelay's engagement totals of the person's videos (plays, watch percent, CTA clicks).
  (db, ids) => deletedRows(db.deleteFrom('engagement').where('render_id', 'in', ids)),
  // The e-mail thumbnail and poster: frames of the person's video.
  (db, ids) => deletedRows(db.deleteFrom('thumbnails').where('render_id', 'in', ids)),
];

async function deletedRows(query: { executeTakeFirst(): Promise<{ numDeletedRows: bigint }> }): Promise<number> {
  return Number((await query.executeTakeFirst()).numDeletedRows);
}

/**
 * Erases a record's personal data, in one durable transaction (core/erasure.ts
 * says what each render keeps): its renders become anonymous billing rows
 * with their timeline notes replaced and one entry saying why; its stored
 * webhook payloads, the HeyGen callbacks about its videos, its queued CRM
 * writes and its per-render data are deleted; its videos are queued for
 * deletion at HeyGen. Renders already erased no longer carry the record id,
 * so a second run finds nothing and changes nothing. States do not change
 * here: live renders are cancelled through the lifecycle first.
 */
export async function eraseRecord(store: Store, input: EraseRecordInput): Promise<Omit<ErasureCounts, 'cancelled'>> {
  return durableTransaction(store, async (db) => {
    const portals = input.portalIds;
    const renders = await db
      .selectFrom('renders')
      .select(['id', 'state', 'render_key', 'plan', 'video_id', 'suggested_video_id'])
      .where('object_type', '=', input.objectType)
      .where('object_id', '=', input.objectId)
      .$if(portals !== undefined, (q) => q.where('portal_id', 'in', portals as string[]))
      .orderBy('id')
      .execute();
    const ids = renders.map((r) => r.id);
    const videoIds = new Set<string>();

    let timelineNotes = 0;
    let renderData = 0;
    for (const render of renders) {
      const erased = eraseRender(render);
      erased.videoIds.forEach((v) => videoIds.add(v));
      await db.updateTable('renders').set({ ...erased.set, updated_at: input.now }).where('id', '=', render.id).execute();
    }
    if (ids.length > 0) {
      // Every note but the privacy cancellation's own (which names no one) may quote values or links.
      const redacted = await db
        .updateTable('render_timeline')
        .set({ note: ERASED_NOTE })
        .where('render_id', 'in', ids)
        .where('note', 'not in', [ERASED_NOTE, PRIVACY_CANCEL_NOTE, ERASURE_NOTE])
        .executeTakeFirst();
      timelineNotes = Number(redacted.numUpdatedRows);
      await db
        .insertInto('render_timeline')
        .values(renders.map((r) => ({ render_id: r.id, at: input.now, from_state: r.state, to_state: r.state, note: ERASURE_NOTE })))
        .execute();
      for (const erase of RENDER_DATA) renderData += await erase(db, ids);
    }

    let events = await deletedRows(
      db
        .deleteFrom('events')
        .where('source', '=', 'hubspot')
        .where('object_id', '=', input.objectId)
        .where((eb) => eb.or([eb('object_type', '=', input.objectType), eb('object_type', 'is', null)]))
        .$if(portals !== undefined, (q) => q.where('portal_id', 'in', portals as string[])),
    );
    if (videoIds.size > 0) {
      events += await deletedRows(db.deleteFrom('events').where('source', '=', 'heygen').where('object_id', 'in', [...videoIds]));
    }

    let crmWrites = await deletedRows(
      db
        .deleteFrom('outbox')
        .where('object_type', '=', input.objectType)
        .where('object_id', '=', input.objectId)
        .$if(portals !== undefined, (q) => q.where('portal_id', 'in', portals as string[])),
    );
    if (ids.length > 0) crmWrites += await deletedRows(db.deleteFrom('outbox').where('render_id', 'in', ids));

    let videosQueued = 0;
    if (input.deleteVideos && videoIds.size > 0) {
      const inserted = await db
        .insertInto('video_deletions')
        .values([...videoIds].map((video_id) => ({ video_id, status: 'pending' as const, attempts: 0, run_at: input.now, created_at: input.now, updated_at: input.now })))
        .onConflict((oc) => oc.column('video_id').doNothing())
        .returning('id')
        .execute();
      videosQueued = inserted.length;
    }
    return { renders: renders.length, timelineNotes, events, crmWrites, renderData, videosQueued };
  });
}
