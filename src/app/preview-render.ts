/**
 * The dashboard's dry run: what a campaign would do with one record, read
 * from HubSpot as the engine reads it. Nothing is stored, nothing is sent
 * to HeyGen, nothing is written to HubSpot.
 */
import type { ReelayConfig } from '../config/schema.js';
import { isProviderError } from '../core/errors.js';
import type { EngineContext } from '../engine/context.js';
import { previewRecords, type RecordPreview } from '../manual/dry-run.js';

export type { RecordPreview };

export type PreviewOutcome =
  | { ok: true; preview: RecordPreview }
  | { ok: false; reason: string };

export async function previewRender(
  ctx: Pick<EngineContext, 'hubspot' | 'budget'> & { config: ReelayConfig },
  heygenApiBase: string,
  campaignId: string,
  objectId: string,
): Promise<PreviewOutcome> {
  const campaign = ctx.config.campaigns.find((c) => c.id === campaignId);
  if (!campaign) return { ok: false, reason: `no campaign ${campaignId} in the configuration` };
  if (!/^[1-9][0-9]{0,19}$/.test(objectId)) return { ok: false, reason: 'a record id is digits only' };
  try {
    const [preview] = await previewRecords({ reader: { hubspot: ctx.hubspot, budget: ctx.budget }, config: ctx.config, campaign, heygenApiBase }, [objectId]);
    if (!preview) return { ok: false, reason: 'nothing was planned' };
    return { ok: true, preview };
  } catch (err) {
    if (!isProviderError(err)) throw err;
    return { ok: false, reason: `could not read ${campaign.object}/${objectId} from HubSpot: ${err.describe()}` };
  }
}
