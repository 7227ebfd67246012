import type { Store } from './db.js';

/**
 * Gives back the budget slot of a render's submission that HeyGen provably
 * refused: only once the render has left `submitting` as failed with no
 * video (a render still retrying keeps its slot for the same key). Returns
 * whether a slot was given back.
 */
export async function releaseCreditSlot(store: Store, renderId: number, submission: number): Promise<boolean> {
  const result = await store.db
    .deleteFrom('credit_slots')
    .where('render_id', '=', renderId)
    .where('submission', '=', submission)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('renders')
          .select('renders.id')
          .where('renders.id', '=', renderId)
          .where('renders.state', '=', 'failed')
          .where('renders.submission', '=', submission)
          .where('renders.video_id', 'is', null),
      ),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
