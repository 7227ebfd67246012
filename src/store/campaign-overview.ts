/**
 * The dashboard's overview figures, each one grouped query that an index of
 * migration 013 answers without reading the renders themselves (or, for the
 * reasons, only the recent failures and skips).
 */
import { sql } from 'kysely';
import type { RenderState } from '../core/states.js';
import type { Store } from './db.js';

export interface CampaignStateCount {
  campaignId: string;
  state: RenderState;
  n: number;
}

/** How many renders each campaign has in each state (index `renders_campaign_state_id`). */
export async function countByCampaignAndState(store: Store): Promise<CampaignStateCount[]> {
  const rows = await store.db
    .selectFrom('renders')
    .select(['campaign_id', 'state', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(['campaign_id', 'state'])
    .execute();
  return rows.map((r) => ({ campaignId: r.campaign_id, state: r.state, n: Number(r.n) }));
}

/**
 * Renders HeyGen accepted (they have a video id) per campaign, submitted at
 * or after `since`: one range of index `renders_billed` per campaign, read
 * from the index alone (a single GROUP BY lets the planner walk a whole
 * campaign index instead).
 */
export async function countBilledByCampaign(store: Store, campaignIds: readonly string[], since: number): Promise<Map<string, number>> {
  const counts = await Promise.all(
    campaignIds.map(async (id) => {
      const row = await store.db
        .selectFrom('renders')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('campaign_id', '=', id)
        .where('submitted_at', '>=', since)
        .where('video_id', 'is not', null)
        .executeTakeFirstOrThrow();
      return [id, Number(row.n)] as const;
    }),
  );
  return new Map(counts);
}

export interface FinishReasonCount {
  campaignId: string;
  state: 'failed' | 'skipped';
  /** A failure's code; a skip's message (skips share one code). */
  reason: string;
  n: number;
}

/** Why renders failed or were skipped since `since`, most frequent first (index `renders_state_finished`). */
export async function countFinishReasons(store: Store, since: number): Promise<FinishReasonCount[]> {
  const reason = sql<string>`coalesce(case when state = 'skipped' then error_message else error_code end, '(none given)')`;
  const rows = await store.db
    .selectFrom('renders')
    .select(['campaign_id', 'state', reason.as('reason'), (eb) => eb.fn.countAll<number>().as('n')])
    .where('state', 'in', ['failed', 'skipped'])
    .where('finished_at', '>=', since)
    .groupBy(['campaign_id', 'state', reason])
    .orderBy('n', 'desc')
    .execute();
  return rows.map((r) => ({ campaignId: r.campaign_id, state: r.state as 'failed' | 'skipped', reason: r.reason, n: Number(r.n) }));
}
