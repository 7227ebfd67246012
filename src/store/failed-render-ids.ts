import type { Store } from './db.js';

/** The ids of the failed renders, of one campaign or of all, for `retry --failed`. */
export async function failedRenderIds(store: Store, campaignId: string | undefined): Promise<number[]> {
  let q = store.db.selectFrom('renders').select('id').where('state', '=', 'failed');
  if (campaignId) q = q.where('campaign_id', '=', campaignId);
  return (await q.execute()).map((r) => r.id);
}
