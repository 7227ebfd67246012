import type { Store } from './db.js';

/**
 * Retention (`retention.renderDays`): renders finished before `before` are
 * deleted, with their timelines, engagement totals and images.
 */
export async function pruneFinishedRenders(store: Store, before: number): Promise<void> {
  const old = store.db.selectFrom('renders').select('id').where('finished_at', '<', before);
  await store.db.deleteFrom('render_timeline').where('render_id', 'in', old).execute();
  await store.db.deleteFrom('engagement').where('render_id', 'in', old).execute();
  await store.db.deleteFrom('thumbnails').where('render_id', 'in', old).execute();
  await store.db.deleteFrom('renders').where('finished_at', '<', before).execute();
}
