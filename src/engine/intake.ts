/**
 * Intake: turns verified, parsed HubSpot events into stored events and the
 * renders they start. Stores are group-committed: concurrent webhook
 * requests share one transaction (and one fsync), so durability does not
 * cost a disk flush per request. No HubSpot or HeyGen call happens here:
 * webhooks are answered as soon as the events are durable.
 */
import type { CampaignConfig, ReelayConfig } from '../config/schema.js';
import { matchCampaigns } from '../core/campaign-match.js';
import { isPrivacyDeletion, PRIVACY_EVENT_KIND } from '../core/erasure.js';
import type { Clock } from '../core/clock.js';
import type { ParsedHubSpotEvent } from '../hubspot/delivery.js';
import type { Metrics } from '../observability/metrics.js';
import type { Store } from '../store/db.js';
import type { IngestItem, IngestOutcome, RenderDraft } from '../store/ingest-events.js';
import { GroupCommit } from './group-commit.js';
import { receive } from './lifecycle.js';
import type { WebhooksFirst } from './webhooks-first.js';

/** Pure: what to store for each event (its row, and the renders it starts). */
export function planIntake(events: ParsedHubSpotEvent[], config: ReelayConfig, campaignParam: string | undefined): IngestItem[] {
  return events.map((event) => {
    if (isPrivacyDeletion(event.subscriptionType) && event.objectId !== null) return privacyDeletionItem(event, config);
    const match = matchCampaigns({ ...event, ...(campaignParam === undefined ? {} : { campaignParam }) }, config.campaigns);
    const ignored = 'ignored' in match ? match.ignored : null;
    const campaigns = 'campaigns' in match ? match.campaigns : [];
    return {
      event: {
        source: 'hubspot',
        dedupe_key: event.dedupeKey,
        portal_id: event.portalId,
        kind: event.kind,
        object_type: event.objectType ?? campaigns[0]?.object ?? null,
        object_id: event.objectId,
        campaign_id: campaigns.map((c) => c.id).join(',') || (campaignParam ?? null),
        status: ignored === null ? 'accepted' : 'ignored',
        reason: ignored,
        payload: JSON.stringify(event.payload),
      },
      renders: campaigns.map((campaign) => renderDraft(config, campaign, event.portalId, event.objectId as string)),
    };
  });
}

/**
 * HubSpot's privacy deletion of a contact: stored like any event (so the 2xx
 * never loses it), then acted on by the privacy worker (`engine/privacy.ts`),
 * whose erasure deletes it. With `privacy.honorDeletionEvents: false` it is
 * stored as ignored and pruned with the other events.
 */
function privacyDeletionItem(event: ParsedHubSpotEvent, config: ReelayConfig): IngestItem {
  const honoured = config.privacy.honorDeletionEvents;
  return {
    event: {
      source: 'hubspot',
      dedupe_key: event.dedupeKey,
      portal_id: event.portalId,
      kind: PRIVACY_EVENT_KIND,
      object_type: event.objectType ?? 'contacts',
      object_id: event.objectId,
      campaign_id: null,
      status: honoured ? 'accepted' : 'ignored',
      reason: honoured ? null : 'privacy deletion not acted on (privacy.honorDeletionEvents: false)',
      payload: JSON.stringify(event.payload),
    },
    renders: [],
  };
}

/** The render a trigger of `campaign` for one record starts (every kind of trigger: webhook, schedule, by hand). */
export function renderDraft(config: ReelayConfig, campaign: CampaignConfig, portalId: string, objectId: string, scope: string | null = null): RenderDraft {
  return {
    portal_id: portalId,
    campaign_id: campaign.id,
    object_type: campaign.object,
    object_id: objectId,
    trigger_object_type: null,
    trigger_object_id: null,
    render_key: null,
    scope,
    submission: 1,
    api: config.heygen.api,
    template_id: campaign.template,
  };
}

export interface IntakeCounts {
  accepted: number;
  duplicates: number;
  ignored: number;
}

/** How stored items ended (new, duplicate, stored as ignored), counted in `reelay_events_received_total`. */
export function countIntake(items: IngestItem[], outcomes: IngestOutcome[], metrics: Metrics): IntakeCounts {
  const counts: IntakeCounts = { accepted: 0, duplicates: 0, ignored: 0 };
  outcomes.forEach((outcome, i) => {
    if (outcome.duplicate) counts.duplicates += 1;
    else if (items[i]?.event.status === 'ignored') counts.ignored += 1;
    else counts.accepted += 1;
  });
  metrics.eventsReceived.inc({ source: 'hubspot', outcome: 'accepted' }, counts.accepted);
  metrics.eventsReceived.inc({ source: 'hubspot', outcome: 'duplicate' }, counts.duplicates);
  metrics.eventsReceived.inc({ source: 'hubspot', outcome: 'ignored' }, counts.ignored);
  return counts;
}

/** Webhook intake's writer: concurrent requests' events share one durable transaction (`GroupCommit`). */
export class IntakeWriter {
  private readonly group: GroupCommit<IngestItem[], IngestOutcome[]>;

  constructor(
    store: Store,
    clock: Clock,
    private readonly webhooksFirst?: Pick<WebhooksFirst, 'webhookArrived'>,
    maxBatch = 500,
  ) {
    this.group = new GroupCommit(
      async (requests) => {
        const outcomes = await receive(store, requests.flat(), clock.now());
        let offset = 0;
        return requests.map((items) => outcomes.slice(offset, (offset += items.length)));
      },
      { maxBatch, weight: (items) => items.length },
    );
  }

  /** Resolves once the items are committed (or recognised as duplicates). */
  write(items: IngestItem[]): Promise<IngestOutcome[]> {
    this.webhooksFirst?.webhookArrived();
    return this.group.write(items);
  }
}
