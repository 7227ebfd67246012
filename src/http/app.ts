/**
 * The Fastify app of `serve`. Routes only verify, parse and store; what
 * happens next to a render is the engine's business.
 */
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { EngineContext } from '../engine/context.js';
import type { IntakeWriter } from '../engine/intake.js';
import { registerAdminRoutes } from './routes/admin.js';
import { registerHealthRoutes } from './routes/health.js';
import { registerHeyGenWebhook } from './routes/heygen-webhook.js';
import { registerHubSpotWebhook } from './routes/hubspot-webhook.js';
import { registerLinkRoutes } from './routes/links.js';
import { registerMetricsRoute } from './routes/metrics.js';

export interface AppSecrets {
  hubspotClientSecret: string;
  heygenWebhookSecret: string;
  adminToken: string | undefined;
  /** `/metrics` is open when unset. */
  metricsToken?: string | undefined;
}

export interface AppOptions {
  ctx: EngineContext;
  intake: IntakeWriter;
  secrets: AppSecrets;
  /** `web` and `all` serve everything; `worker` only health and metrics. */
  role: 'all' | 'web' | 'worker';
  /** Readiness check beyond the database (e.g. shutting down). */
  accepting: () => boolean;
}

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: opts.ctx.log.child({ component: 'http' }) as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: opts.ctx.config.server.bodyLimit,
    return503OnClosing: true,
  });
  // Signatures are computed on the exact bytes received: keep every body raw.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  await registerHealthRoutes(app, opts);
  await registerMetricsRoute(app, opts.ctx, opts.secrets.metricsToken);
  if (opts.role !== 'worker') {
    await registerHubSpotWebhook(app, opts);
    await registerHeyGenWebhook(app, opts);
    await registerLinkRoutes(app, opts.ctx);
    if (opts.secrets.adminToken) await registerAdminRoutes(app, opts.ctx, opts.secrets.adminToken);
  }
  return app;
}

/** The raw request body (every content type is kept as bytes for signature checks). */
export function rawBodyOf(body: unknown): Buffer {
  return Buffer.isBuffer(body) ? body : Buffer.alloc(0);
}
