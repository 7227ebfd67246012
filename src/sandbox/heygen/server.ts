/**
 * A local simulator of HeyGen's video API, faithful where the real one is
 * awkward: 429s, expiring links, lost and duplicated callbacks, credit
 * failures found late, creates accepted whose answer never arrives.
 * In-memory, seeded, and cheap enough for 10,000 renders per run.
 */
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import type { LedgerEntry } from './billing.js';
import { createControl, type HeyGenSandboxControl } from './control.js';
import { resolveOptions, type HeyGenSandboxOptions } from './options.js';
import { registerApiPlumbing } from './routes/api-plumbing.js';
import { registerRenderRoutes } from './routes/renders.js';
import { registerSandboxRoutes } from './routes/sandbox.js';
import { registerTemplateRoutes } from './routes/templates.js';
import { registerVideoRoutes } from './routes/videos.js';
import { registerWebhookRoutes } from './routes/webhooks.js';
import { SandboxState } from './state.js';
import type { HeyGenSandboxStats } from './stats.js';

export type { HeyGenSandboxOptions } from './options.js';
export type { HeyGenSandboxControl } from './control.js';
export type { HeyGenSandboxStats, CallbackStats } from './stats.js';
export type { LedgerEntry, Ledger } from './billing.js';
export type { FaultPatch, FaultSettings } from './faults.js';
export type { Limits, LimitsPatch } from './limits.js';
export type { SandboxTemplate, SandboxTemplateVariable, VariableType } from './templates.js';
export { defaultTemplates } from './templates.js';

export interface PreRegisteredWebhook {
  endpointId: string;
  url: string;
  secret: string;
}

export interface HeyGenSandbox {
  /** `http://127.0.0.1:<port>`: use as `HEYGEN_API_BASE`. */
  url: string;
  port: number;
  /** The endpoint registered at start for `webhookTarget` (its secret too), or null. */
  webhook: PreRegisteredWebhook | null;
  /** Moves that endpoint to another URL (same id and secret), e.g. once the receiver listens on a port of its own choosing. */
  setWebhookTarget(url: string): void;
  control: HeyGenSandboxControl;
  /** Every billed render: one row per accepted create; replays and test renders excluded; failed ones kept with `billed: false`. */
  ledger(): LedgerEntry[];
  stats(): HeyGenSandboxStats;
  /** Resolves when every render is final (stuck ones excepted) and every callback delivered or dropped. */
  drain(): Promise<void>;
  close(): Promise<void>;
}

export async function startHeyGenSandbox(opts: HeyGenSandboxOptions): Promise<HeyGenSandbox> {
  const options = resolveOptions(opts);
  const state = new SandboxState(options);
  const control = createControl(state);

  const app = Fastify({ logger: false, forceCloseConnections: true, bodyLimit: 1024 * 1024 });
  registerApiPlumbing(app, state);
  registerRenderRoutes(app, state);
  registerTemplateRoutes(app, state);
  registerVideoRoutes(app, state);
  registerWebhookRoutes(app, state);
  registerSandboxRoutes(app, state, control);

  await app.listen({ port: options.port, host: options.host });
  const { port } = app.server.address() as AddressInfo;
  const publicHost = options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;
  state.baseUrl = `http://${publicHost.includes(':') ? `[${publicHost}]` : publicHost}:${port}`;

  return {
    url: state.baseUrl,
    port,
    get webhook(): PreRegisteredWebhook | null {
      const endpoint = state.endpoints.initialEndpoint;
      return endpoint ? { endpointId: endpoint.endpointId, url: endpoint.url, secret: endpoint.secret } : null;
    },
    setWebhookTarget: (url) => state.endpoints.retargetInitial(url),
    control,
    ledger: () => state.billing.ledger().entries,
    stats: () => state.statsSnapshot(),
    drain: () => state.drain(),
    close: async () => {
      state.shutdown();
      await app.close();
    },
  };
}
