/**
 * Pure: what would happen to one record of a campaign, given what the CRM
 * holds: the HeyGen request that would be sent (with its render key), the
 * reason it would be skipped, or that the record does not exist.
 */
import type { CampaignConfig, ReelayConfig } from '../config/schema.js';
import { renderKey } from '../core/render-key.js';
import { sharingOption } from '../core/share-link.js';
import { heygenVariablesBody, mapVariables, type Sources } from '../core/variables.js';
import { chooseVariant } from '../core/variants.js';
import type { CreateFromTemplateRequest } from '../heygen/client.js';

export type RenderPlan =
  | { objectId: string; outcome: 'render'; renderKey: string; request: CreateFromTemplateRequest; variant: string | null }
  | { objectId: string; outcome: 'skip'; reason: string }
  | { objectId: string; outcome: 'not_found' };

/** `sources` undefined: HubSpot has no such record. */
export function planRender(config: ReelayConfig, campaign: CampaignConfig, portalId: string, objectId: string, sources: Sources | undefined): RenderPlan {
  if (sources === undefined) return { objectId, outcome: 'not_found' };
  // As enrichment chooses: the first variant whose `when` the record meets, else the campaign's template.
  const chosen = chooseVariant(campaign, sources.record, config.validation.placeholders);
  const mapped = mapVariables(chosen, sources, config.validation);
  if (!mapped.ok) return { objectId, outcome: 'skip', reason: mapped.reason };
  const key = renderKey({
    portalId,
    campaignId: campaign.id,
    objectType: campaign.object,
    objectId,
    templateId: chosen.template,
    title: mapped.title,
    variables: mapped.variables,
    variant: chosen.variant,
  });
  const options = campaign.heygen;
  return {
    objectId,
    outcome: 'render',
    renderKey: key,
    variant: chosen.variant,
    // As the submit stage builds it for a first submission (callback id and idempotency key = render key).
    request: {
      templateId: chosen.template,
      title: mapped.title,
      variables: heygenVariablesBody(mapped.variables),
      callbackId: key,
      idempotencyKey: key,
      ...(options.caption === undefined ? {} : { caption: options.caption }),
      ...(options.folderId === undefined ? {} : { folderId: options.folderId }),
      // As submit sends it, assuming PUBLIC_URL is set (as in production).
      ...sharingOption(config.heygen.link, true, options.enableSharing),
      ...(options.test === undefined ? {} : { test: options.test }),
    },
  };
}
