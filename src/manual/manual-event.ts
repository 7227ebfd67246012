/**
 * A render asked for by hand (`render`, `backfill`) is stored like any
 * inbound event: an event row of kind `manual` and the render it starts,
 * which the running service picks up. The render key still keeps the same
 * inputs from rendering twice, whoever asked.
 */
import type { CampaignConfig, ReelayConfig } from '../config/schema.js';
import { renderDraft } from '../engine/intake.js';
import type { IngestItem } from '../store/ingest-events.js';

export interface ManualRequest {
  /** Which command asked, for the event's payload. */
  by: 'render' | 'backfill';
  /** When it was asked (epoch ms): part of the event's dedupe key. */
  at: number;
  /** Extra facts for the event's payload (the backfill filter). */
  detail?: Record<string, string>;
}

/**
 * As for a webhook without a portal id: `hubspot.portalId`, else `default`.
 * Set `hubspot.portalId` so a manual render and a triggered one of the same
 * inputs share a render key.
 */
export function manualPortalId(config: ReelayConfig): string {
  return config.hubspot.portalId === '' ? 'default' : config.hubspot.portalId;
}

export function manualDedupeKey(campaignId: string, objectId: string, at: number): string {
  return `manual_${campaignId}_${objectId}_${at}`;
}

/** Pure: the event row and render row for one record, shaped as intake shapes them. */
export function manualIngestItem(config: ReelayConfig, campaign: CampaignConfig, objectId: string, request: ManualRequest): IngestItem {
  const portalId = manualPortalId(config);
  return {
    event: {
      source: 'hubspot',
      dedupe_key: manualDedupeKey(campaign.id, objectId, request.at),
      portal_id: portalId,
      kind: 'manual',
      object_type: campaign.object,
      object_id: objectId,
      campaign_id: campaign.id,
      status: 'accepted',
      reason: null,
      payload: JSON.stringify({ by: `reelay ${request.by}`, campaign: campaign.id, objectType: campaign.object, objectId, ...request.detail }),
    },
    renders: [renderDraft(config, campaign, portalId, objectId)],
  };
}
