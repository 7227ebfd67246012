import { assertTransition } from '../core/states.js';
import type { Store } from './db.js';

export interface Recipient {
  objectType: string;
  objectId: string;
}

/** The trigger render being expanded: what its recipients' renders inherit. */
export interface ExpandedTrigger {
  id: number;
  eventId: number | null;
  portalId: string;
  campaignId: string;
  objectType: string;
  objectId: string;
  scope: string | null;
  api: 'v3' | 'v2';
  templateId: string;
}

/**
 * A deal or company trigger whose campaign renders for the record's contacts:
 * the trigger render becomes `expanded` and one `received` render per
 * recipient is created, remembering the triggering record. One transaction,
 * so a crash never leaves half a fan-out.
 */
export async function expandRender(store: Store, row: ExpandedTrigger, recipients: Recipient[], note: string, now: number): Promise<number[] | null> {
  const { db } = store;
  assertTransition('received', 'expanded', row.id);
  return db.transaction().execute(async (trx) => {
    const moved = await trx
      .updateTable('renders')
      .set({ state: 'expanded', finished_at: now, updated_at: now, leased_by: null, lease_until: null })
      .where('id', '=', row.id)
      .where('state', '=', 'received')
      .executeTakeFirst();
    if (Number(moved.numUpdatedRows) !== 1) return null;
    const ids: number[] = [];
    for (const recipient of recipients) {
      const child = await trx
        .insertInto('renders')
        .values({
          event_id: row.eventId,
          portal_id: row.portalId,
          campaign_id: row.campaignId,
          object_type: recipient.objectType,
          object_id: recipient.objectId,
          trigger_object_type: row.objectType,
          trigger_object_id: row.objectId,
          state: 'received',
          render_key: null,
          scope: row.scope,
          submission: 1,
          api: row.api,
          template_id: row.templateId,
          attempts: 0,
          run_at: now,
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      ids.push(child.id);
    }
    await trx
      .insertInto('render_timeline')
      .values([
        { render_id: row.id, at: now, from_state: 'received', to_state: 'expanded', note: `${note}: renders ${ids.join(', ')}` },
        ...ids.map((id) => ({
          render_id: id,
          at: now,
          from_state: null,
          to_state: 'received',
          note: `recipient of ${row.objectType.replace(/s$/, '')} ${row.objectId} (render ${row.id})`,
        })),
      ])
      .execute();
    return ids;
  });
}
