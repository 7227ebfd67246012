/**
 * Fair share by campaign: a stage asks for `limit` rows; each campaign with
 * due work gets an equal part first, and whatever is left goes to the
 * oldest due work of any campaign. A campaign with 10,000 queued renders
 * therefore cannot starve one with ten.
 */
import { campaignsWithDueRenders } from '../store/claim-renders.js';
import type { RenderState } from '../core/states.js';
import type { EngineContext } from './context.js';

export async function claimFairly<T>(
  ctx: Pick<EngineContext, 'store'>,
  states: readonly RenderState[],
  now: number,
  limit: number,
  claim: (limit: number, campaignId?: string) => Promise<T[]>,
): Promise<T[]> {
  if (limit <= 0) return [];
  const campaigns = await campaignsWithDueRenders(ctx.store, states, now);
  if (campaigns.length <= 1) return claim(limit);
  const share = Math.max(1, Math.floor(limit / campaigns.length));
  const rows: T[] = [];
  for (const campaignId of campaigns) {
    if (rows.length >= limit) break;
    rows.push(...(await claim(Math.min(share, limit - rows.length), campaignId)));
  }
  if (rows.length < limit) rows.push(...(await claim(limit - rows.length)));
  return rows;
}
