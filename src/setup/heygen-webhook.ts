/**
 * The HeyGen webhook endpoint for `PUBLIC_URL/webhooks/heygen`. HeyGen shows
 * an endpoint's secret only when it is created, so registering is "find, else
 * create": an endpoint already registered for the URL is reused, and its
 * secret is the one the user stored back then.
 */
import { isProviderError } from '../core/errors.js';
import type { HeyGenClient, WebhookEndpoint } from '../heygen/client.js';

export const HEYGEN_WEBHOOK_PATH = '/webhooks/heygen';

/** The render events Reelay acts on. */
export const REELAY_HEYGEN_EVENTS = ['avatar_video.success', 'avatar_video.fail'] as const;

export function heygenWebhookUrl(publicUrl: string): string {
  return `${publicUrl.replace(/\/+$/, '')}${HEYGEN_WEBHOOK_PATH}`;
}

export interface FoundWebhook {
  endpoint: WebhookEndpoint;
  /** Events Reelay needs that the endpoint is not subscribed to (an empty subscription means every event). */
  missingEvents: string[];
}

export type WebhookSetup =
  | ({ status: 'exists' } & FoundWebhook)
  | { status: 'created'; endpoint: { id: string; url: string }; secret: string | null };

const sameUrl = (a: string, b: string) => a.replace(/\/+$/, '') === b.replace(/\/+$/, '');

/** The endpoint registered for `url`, or null; `others` lists the URLs that are registered instead. */
export async function findHeyGenWebhook(client: HeyGenClient, url: string): Promise<{ found: FoundWebhook | null; others: string[] }> {
  const endpoints = await client.listWebhookEndpoints();
  const endpoint = endpoints.find((e) => sameUrl(e.url, url));
  if (!endpoint) return { found: null, others: endpoints.map((e) => e.url) };
  const missingEvents = endpoint.events.length === 0 ? [] : REELAY_HEYGEN_EVENTS.filter((e) => !endpoint.events.includes(e));
  return { found: { endpoint, missingEvents }, others: [] };
}

export async function ensureHeyGenWebhook(client: HeyGenClient, url: string): Promise<WebhookSetup> {
  const before = await findHeyGenWebhook(client, url);
  if (before.found) return { status: 'exists', ...before.found };
  try {
    const created = await client.createWebhookEndpoint(url, [...REELAY_HEYGEN_EVENTS]);
    return { status: 'created', endpoint: { id: created.id, url: created.url }, secret: created.secret };
  } catch (err) {
    // Registered by someone else between our look and our create: reuse it.
    if (isProviderError(err) && err.status === 409) {
      const after = await findHeyGenWebhook(client, url);
      if (after.found) return { status: 'exists', ...after.found };
    }
    throw err;
  }
}
