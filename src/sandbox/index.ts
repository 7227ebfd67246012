/**
 * Both simulators together, as `reelay sandbox`, the demo, the tests and the
 * benchmarks use them.
 */
import { startHeyGenSandbox, type HeyGenSandbox, type HeyGenSandboxOptions } from './heygen/server.js';
import { startHubSpotSandbox, type HubSpotSandbox, type HubSpotSandboxOptions } from './hubspot/server.js';

export type { HeyGenSandbox, HubSpotSandbox };

export interface SandboxSecrets {
  hubspotAccessToken: string;
  hubspotClientSecret: string;
  heygenApiKey: string;
  /** `whsec_<base64>`; generated when absent (read it from `heygen.webhook.secret`). */
  heygenWebhookSecret?: string;
}

export interface SandboxOptions {
  secrets: SandboxSecrets;
  host?: string;
  hubspotPort?: number;
  heygenPort?: number;
  /** Where HubSpot subscription deliveries go (Reelay's `/webhooks/hubspot`). */
  hubspotTarget?: string;
  /** Where HeyGen render events go (Reelay's `/webhooks/heygen`). */
  heygenTarget?: string;
  seed?: number;
  hubspot?: Omit<Partial<HubSpotSandboxOptions>, 'accessToken' | 'clientSecret'>;
  heygen?: Omit<Partial<HeyGenSandboxOptions>, 'apiKey' | 'webhookSecret'>;
}

export interface Sandbox {
  hubspot: HubSpotSandbox;
  heygen: HeyGenSandbox;
  close(): Promise<void>;
}

export async function startSandbox(opts: SandboxOptions): Promise<Sandbox> {
  const seed = opts.seed ?? 1;
  const host = opts.host ?? '127.0.0.1';
  const hubspot = await startHubSpotSandbox({
    host,
    port: opts.hubspotPort ?? 0,
    seed,
    ...opts.hubspot,
    accessToken: opts.secrets.hubspotAccessToken,
    clientSecret: opts.secrets.hubspotClientSecret,
    ...(opts.hubspotTarget === undefined ? {} : { webhookTarget: opts.hubspotTarget }),
  });
  let heygen: HeyGenSandbox;
  try {
    heygen = await startHeyGenSandbox({
      host,
      port: opts.heygenPort ?? 0,
      seed: seed + 1,
      ...opts.heygen,
      apiKey: opts.secrets.heygenApiKey,
      ...(opts.secrets.heygenWebhookSecret === undefined ? {} : { webhookSecret: opts.secrets.heygenWebhookSecret }),
      ...(opts.heygenTarget === undefined ? {} : { webhookTarget: opts.heygenTarget }),
    });
  } catch (err) {
    await hubspot.close();
    throw err;
  }
  return {
    hubspot,
    heygen,
    async close() {
      await Promise.allSettled([hubspot.close(), heygen.close()]);
    },
  };
}
