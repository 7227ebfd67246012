/**
 * Erasing a person (SPEC "Privacy"), the pure part: which render columns
 * lose what, what stands in for the record id, which HubSpot events ask
 * for an erasure. The store operation (`store/erase-record.ts`) applies it
 * in one transaction; `engine/privacy.ts` runs it.
 *
 * What stays of a render is an anonymous billing record: campaign, state,
 * times, HeyGen video id, error code. The record id is replaced by
 * `ERASED_ID`: a HubSpot record id is a key to the person (in the CRM, in
 * exports and backups of it, in other systems synced from it), and a hash
 * of it would still be one (ids are small numbers, a hash is found by trying
 * them all). A constant links the billing row to no one.
 */

/** What an erased render's `object_id` holds instead of the record id. */
export const ERASED_ID = 'erased';

/** The stored event kind of HubSpot's privacy deletions (acted on by the privacy worker, then deleted). */
export const PRIVACY_EVENT_KIND = 'privacy_deletion';

/** The note every timeline entry of an erased render gets instead of its own (notes may quote values and links). */
export const ERASED_NOTE = '(note erased on a privacy request)';

/** The timeline entry that records the erasure itself. */
export const ERASURE_NOTE = 'personal data erased (privacy request)';

/** The timeline note of a live render cancelled because its person is forgotten. */
export const PRIVACY_CANCEL_NOTE = 'cancelled: privacy request';

/**
 * HubSpot's privacy deletion in any form Reelay receives: `contact.privacyDeletion`
 * (webhooks; HubSpot has no generic `object.*` form of it) and the
 * journal's `GDPR_DELETE` action, which Reelay reads as `object.privacyDeletion`.
 */
export function isPrivacyDeletion(subscriptionType: string | undefined): boolean {
  return subscriptionType === 'contact.privacyDeletion' || subscriptionType === 'object.privacyDeletion';
}

/** The columns of a render the erasure reads. */
export interface ErasableRender {
  id: number;
  render_key: string | null;
  plan: string | null;
  video_id: string | null;
  suggested_video_id: string | null;
}

/** The column values an erased render gets (the render's state is not among them: it never changes here). */
export interface ErasedColumns {
  object_id: string;
  trigger_object_type: null;
  trigger_object_id: null;
  event_id: null;
  scope: null;
  render_key: string | null;
  title: null;
  variables: null;
  plan: string | null;
  video_url: null;
  video_url_expires_at: null;
  share_url: null;
  link_token: null;
  error_message: null;
}

export interface RenderErasure {
  set: ErasedColumns;
  /** HeyGen videos of this render, to delete there. */
  videoIds: string[];
}

/**
 * What erasing one render changes. The content key is a hash of the record
 * and its values (so it is replaced by one naming only the render); the
 * plan keeps its settings but not the records it wrote to; the title,
 * variables, links and error text go.
 */
export function eraseRender(row: ErasableRender): RenderErasure {
  const videoIds = [...new Set([row.video_id, row.suggested_video_id].filter((v): v is string => v !== null && v !== ''))];
  return {
    set: {
      object_id: ERASED_ID,
      trigger_object_type: null,
      trigger_object_id: null,
      event_id: null,
      scope: null,
      render_key: row.render_key === null ? null : `erased:${row.id}`,
      title: null,
      variables: null,
      plan: erasePlan(row.plan),
      video_url: null,
      video_url_expires_at: null,
      share_url: null,
      link_token: null,
      error_message: null,
    },
    videoIds,
  };
}

/** A stored plan without the records it names (its write-back targets); text that is not a plan object is dropped. */
export function erasePlan(plan: string | null): string | null {
  if (plan === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(plan);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const record = value as Record<string, unknown>;
  const writeback = typeof record.writeback === 'object' && record.writeback !== null ? (record.writeback as Record<string, unknown>) : {};
  return JSON.stringify({ ...record, writeback: { ...writeback, targets: [] } });
}

/** What one erasure removed, by kind (each is a count of rows). */
export interface ErasureCounts {
  /** Live renders cancelled first. */
  cancelled: number;
  /** Renders whose personal data was erased (kept as anonymous billing records). */
  renders: number;
  /** Timeline notes replaced. */
  timelineNotes: number;
  /** Stored webhook and callback payloads deleted. */
  events: number;
  /** Queued CRM writes for the record deleted. */
  crmWrites: number;
  /** Rows of per-render tables (engagement...) deleted. */
  renderData: number;
  /** HeyGen videos queued for deletion. */
  videosQueued: number;
}

export const emptyErasureCounts = (): ErasureCounts => ({ cancelled: 0, renders: 0, timelineNotes: 0, events: 0, crmWrites: 0, renderData: 0, videosQueued: 0 });

/** One line per kind, for `reelay forget` and logs; no personal data. */
export function describeErasure(counts: ErasureCounts): string[] {
  return [
    `live renders cancelled:        ${counts.cancelled}`,
    `renders anonymised:            ${counts.renders}`,
    `timeline notes erased:         ${counts.timelineNotes}`,
    `stored events deleted:         ${counts.events}`,
    `queued CRM writes deleted:     ${counts.crmWrites}`,
    `engagement rows deleted:       ${counts.renderData}`,
    `HeyGen videos to delete:       ${counts.videosQueued}`,
  ];
}
