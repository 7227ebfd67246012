/**
 * How HubSpot's events reach Reelay (`hubspot.intake`, default `webhooks`).
 * - `webhooks`: HubSpot delivers only to https URLs, so PUBLIC_URL must be
 *   https (plain http on this machine is a warning: fine for the sandbox).
 * - `journal`: Reelay pulls from the Webhooks Journal; `journal-checks.ts`
 *   checks the client-credentials grant and the journal subscriptions.
 */
import type { ReelayEnv } from '../config/env.js';
import type { ReelayConfig } from '../config/schema.js';
import type { Clock } from '../core/clock.js';
import type { HubSpotClient } from '../hubspot/types.js';
import { checkJournal } from './journal-checks.js';
import { fail, pass, warn, type CheckOutcome } from './outcome.js';

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

export function checkWebhookIntakeUrl(publicUrl: string | undefined): CheckOutcome[] {
  // An unset PUBLIC_URL is reported once, under "Public URL".
  if (publicUrl === undefined) return [];
  const url = new URL(publicUrl);
  if (url.protocol === 'https:') return [pass(`HubSpot webhooks go to ${publicUrl}/webhooks/hubspot (https)`)];
  if (LOCAL_HOSTS.has(url.hostname)) {
    return [warn(`PUBLIC_URL ${publicUrl} is plain http on this machine: fine for the sandbox, HubSpot itself delivers only to https`, 'for HubSpot, serve Reelay behind HTTPS and set PUBLIC_URL=https://...')];
  }
  return [
    fail(
      `PUBLIC_URL ${publicUrl} is not https: HubSpot delivers webhooks only to https URLs`,
      'serve Reelay behind HTTPS (a reverse proxy or tunnel with a certificate) and set PUBLIC_URL=https://..., or use hubspot.intake: journal',
    ),
  ];
}

export async function checkIntake(
  env: ReelayEnv,
  config: ReelayConfig,
  hubspot: HubSpotClient | null,
  clock: Clock,
): Promise<{ title: string; outcomes: CheckOutcome[] }> {
  if (config.hubspot.intake === 'journal') return { title: 'HubSpot intake (Webhooks Journal)', outcomes: await checkJournal(env, config, hubspot, clock) };
  return { title: 'HubSpot intake (webhooks)', outcomes: checkWebhookIntakeUrl(env.publicUrl) };
}
