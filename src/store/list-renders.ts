import type { RenderState } from '../core/states.js';
import type { RenderRow } from './schema.js';
import type { Store } from './db.js';

export interface RenderFilter {
  state?: RenderState;
  campaignId?: string;
  objectType?: string;
  objectId?: string;
  limit?: number;
}

export function listRenders(store: Store, filter: RenderFilter): Promise<RenderRow[]> {
  const { db } = store;
  let q = db.selectFrom('renders').selectAll().orderBy('id', 'desc').limit(filter.limit ?? 50);
  if (filter.state) q = q.where('state', '=', filter.state);
  if (filter.campaignId) q = q.where('campaign_id', '=', filter.campaignId);
  if (filter.objectType) q = q.where('object_type', '=', filter.objectType);
  if (filter.objectId) q = q.where('object_id', '=', filter.objectId);
  return q.execute();
}

export async function countRendersByState(store: Store, filter: Omit<RenderFilter, 'state' | 'limit'> = {}): Promise<Record<string, number>> {
  const { db } = store;
  let q = db.selectFrom('renders').select(['state', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('state');
  if (filter.campaignId) q = q.where('campaign_id', '=', filter.campaignId);
  if (filter.objectType) q = q.where('object_type', '=', filter.objectType);
  if (filter.objectId) q = q.where('object_id', '=', filter.objectId);
  const rows = await q.execute();
  return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
}

/** Queue depth and the age of the oldest due live render, for metrics. */
export async function queueStats(store: Store, now: number): Promise<{ due: number; oldestDueMs: number; pendingWrites: number }> {
  const { db } = store;
  const due = await db
    .selectFrom('renders')
    .select([(eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.min('run_at').as('oldest')])
    .where('state', 'in', ['received', 'enriched', 'submitting', 'rendering'])
    .where('run_at', '<=', now)
    .executeTakeFirstOrThrow();
  const writes = await db.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const oldest = due.oldest === null ? now : Number(due.oldest);
  return { due: Number(due.n), oldestDueMs: Math.max(0, now - oldest), pendingWrites: Number(writes.n) };
}
