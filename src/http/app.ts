/**
 * The Fastify app of `serve`. Routes only verify, parse and store; what
 * happens next to a render is the engine's business.
 */
import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyRequest } from 'fastify';
import type { ReloadOutcome } from '../app/reload-config.js';
import type { EngineContext } from '../engine/context.js';
import type { IntakeWriter } from '../engine/intake.js';
import { registerAdminRoutes } from './routes/admin.js';
import { registerAssetRoutes } from './routes/assets.js';
import { registerDashboardRoutes } from './routes/dashboard/index.js';
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
  /** `HEYGEN_API_BASE`, for the dashboard's dry run. */
  heygenApiBase: string;
  /** Re-reads the configuration file (`POST /api/config/reload`); absent where there is no file to read. */
  reloadConfig?: () => ReloadOutcome;
}

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: opts.ctx.log.child({ component: 'http' }) as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: opts.ctx.config.server.bodyLimit,
    return503OnClosing: true,
    // Never taken from a request header: ids are ours, unique across restarts and instances.
    genReqId: () => randomUUID(),
  });
  registerServerErrorHandling(app);
  // Signatures are computed on the exact bytes received: keep every body raw.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  await registerHealthRoutes(app, opts);
  await registerMetricsRoute(app, opts.ctx, opts.secrets.metricsToken);
  if (opts.role !== 'worker') {
    await registerHubSpotWebhook(app, opts);
    await registerHeyGenWebhook(app, opts);
    await registerLinkRoutes(app, opts.ctx);
    await registerAssetRoutes(app);
    if (opts.secrets.adminToken) {
      await registerAdminRoutes(app, opts.ctx, opts.secrets.adminToken, opts.reloadConfig);
      await registerDashboardRoutes(app, opts.ctx, { adminToken: opts.secrets.adminToken, heygenApiBase: opts.heygenApiBase });
    }
  }
  return app;
}

/** The raw request body (every content type is kept as bytes for signature checks). */
export function rawBodyOf(body: unknown): Buffer {
  return Buffer.isBuffer(body) ? body : Buffer.alloc(0);
}

/** Errors behind 5xx answers, for the one log line each of them gets. */
const serverErrors = new WeakMap<FastifyRequest, unknown>();

/** Records why a route answers 5xx on purpose (e.g. a 503 when the store is down), for the request's log line. */
export function noteServerError(request: FastifyRequest, err: unknown): void {
  serverErrors.set(request, err);
}

/**
 * Any 5xx is logged once, with its request id, method, route and cause; its
 * body never carries internal text (an unexpected error answers
 * `{"error":"internal error","requestId":"..."}`), and the id is also in the
 * `x-request-id` header so an operator can find the log line. Request logging
 * stays off (it would log every webhook), so this hook is the only 5xx log.
 * Fastify's own 4xx answers (body too large, bad content type) are unchanged.
 */
function registerServerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    const status = typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    // Handing a 4xx back to Fastify's default handler keeps its usual answer.
    if (status < 500) return reply.send(err);
    noteServerError(request, err);
    return reply.code(status).send({ error: 'internal error', requestId: request.id });
  });
  app.addHook('onSend', async (request, reply, payload) => {
    if (reply.statusCode >= 500) reply.header('x-request-id', request.id);
    return payload;
  });
  app.addHook('onResponse', async (request, reply) => {
    if (reply.statusCode < 500) return;
    const err = serverErrors.get(request);
    request.log.error(
      {
        statusCode: reply.statusCode,
        method: request.method,
        // The route's pattern, never the raw URL: paths such as /v/:token carry credentials.
        route: request.routeOptions.url ?? 'unknown route',
        ...(err === undefined ? {} : { err }),
      },
      `request answered ${reply.statusCode}`,
    );
  });
}
