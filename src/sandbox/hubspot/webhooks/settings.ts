/** How the sandbox delivers webhooks. Delays are scaled down from HubSpot's (hours) to milliseconds. */
export type SubscriptionSignature = 'v1' | 'v3' | 'both';

/**
 * How subscription events name their object: `generic` (`object.propertyChange`
 * with `objectTypeId`, what apps on HubSpot's 2026.03 platform get), `legacy`
 * (`contact.propertyChange`, ...) or `mixed` (alternating, both in one delivery).
 */
export type SubscriptionEventForm = 'generic' | 'legacy' | 'mixed';
export const subscriptionEventForms = ['generic', 'legacy', 'mixed'] as const;

export interface WebhookSettings {
  /** Headers on subscription deliveries: v1, v3 or both (HubSpot sends both). */
  signatureVersion: SubscriptionSignature;
  /** The form of subscription events (default `generic`). */
  eventForm: SubscriptionEventForm;
  /** Workflow deliveries carry a v2 signature ("include request signature" on). */
  workflowSigned: boolean;
  /** First retry delay; each further retry doubles it (with seeded jitter), up to `retryMaxDelayMs`. */
  retryDelayMs: number;
  retryMaxDelayMs: number;
  /** Total attempts for a workflow delivery answered 5xx / 429 / not at all. */
  workflowMaxAttempts: number;
  /** Total attempts for a subscription batch (HubSpot: 10). */
  subscriptionMaxAttempts: number;
  workflowTimeoutMs: number;
  subscriptionTimeoutMs: number;
  /** Events per subscription delivery (HubSpot: up to 100). */
  maxBatchSize: number;
  /** How long events gather before a partial batch is sent. */
  batchDelayMs: number;
  /** Subscription deliveries in flight at once. */
  concurrency: number;
  /** Probability that an event is delivered twice (same eventId, same or a later batch). */
  duplicateRate: number;
  /** Shuffle events within batches and the order batches leave in. */
  shuffle: boolean;
}

export const defaultWebhookSettings: WebhookSettings = {
  signatureVersion: 'both',
  eventForm: 'generic',
  workflowSigned: true,
  retryDelayMs: 100,
  retryMaxDelayMs: 5_000,
  workflowMaxAttempts: 8,
  subscriptionMaxAttempts: 10,
  workflowTimeoutMs: 30_000,
  subscriptionTimeoutMs: 5_000,
  maxBatchSize: 100,
  batchDelayMs: 10,
  concurrency: 10,
  duplicateRate: 0,
  shuffle: false,
};
