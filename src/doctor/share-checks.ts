/**
 * `heygen.link: share` (or `stable` without PUBLIC_URL) writes HeyGen's share
 * page, which is public only when the render asked for `enable_sharing`.
 */
import type { ReelayConfig } from '../config/schema.js';
import { writesSharePage } from '../core/share-link.js';
import { fail, pass, type CheckOutcome } from './outcome.js';

export function checkShareLink(config: ReelayConfig, hasPublicUrl: boolean): CheckOutcome[] {
  const link = config.heygen.link;
  if (!writesSharePage(link, hasPublicUrl)) return [];
  const why = link === 'share' ? 'heygen.link: share' : 'heygen.link: stable without PUBLIC_URL';
  const outcomes: CheckOutcome[] = [];
  for (const [index, campaign] of config.campaigns.entries()) {
    if (campaign.heygen.enableSharing === false) {
      outcomes.push(
        fail(
          `campaign ${campaign.id}: ${why} writes HeyGen's share page to the CRM, but heygen.enableSharing: false keeps that page private (viewers must log in to HeyGen)`,
          `remove campaigns[${index}].heygen.enableSharing, or use heygen.link: stable`,
        ),
      );
    }
  }
  const how =
    config.heygen.api === 'v2'
      ? 'renders ask for enable_sharing, and the share page comes from POST /v1/video/share (v2 status reads carry none)'
      : 'renders ask for enable_sharing, without which HeyGen\'s share page needs a login';
  if (outcomes.length === 0) outcomes.push(pass(`${why}: the CRM gets HeyGen's public share page; ${how}`));
  return outcomes;
}
