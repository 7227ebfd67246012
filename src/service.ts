/**
 * Assembles a running Reelay: store (migrated), clients, budgets, engine and
 * HTTP app. Used by `reelay serve`, the demo and the integration tests, so
 * all of them run the same thing.
 */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { LoadedEnv } from './config/env.js';
import { requireJournalClientId, secretValues } from './config/env.js';
import type { ReelayConfig } from './config/schema.js';
import { systemClock, type Clock, type Random } from './core/clock.js';
import { ACCOUNT_ZONE_KEY, learnDailyResetZone } from './engine/account-zone.js';
import { createEngine, type Engine } from './engine/engine.js';
import type { EngineContext } from './engine/context.js';
import { HeyGenWindow } from './engine/heygen-window.js';
import { createBudget } from './engine/create-budget.js';
import { IntakeWriter } from './engine/intake.js';
import { QueuePauses } from './engine/pauses.js';
import { createHeyGenClient } from './heygen/client.js';
import { createHubSpotClient } from './hubspot/client.js';
import { hubspotPathsFor } from './hubspot/paths.js';
import { ClientCredentialsToken } from './hubspot/client-credentials.js';
import { createJournalClient, type JournalClient } from './hubspot/journal-client.js';
import { reclaimJournalLeases } from './store/journal-lease.js';
import { reloadConfigFile, type ReloadOutcome } from './app/reload-config.js';
import { buildApp } from './http/app.js';
import { createLogger, type Logger } from './observability/logger.js';
import { createMetrics, type Metrics } from './observability/metrics.js';
import { openStore, type Store } from './store/db.js';
import { getMeta, setMeta } from './store/meta.js';
import { migrate } from './store/migrate.js';
import { reclaimAllLeases } from './store/reclaim-leases.js';
import type { ResponseInfo } from './http-client/types.js';

export type Role = 'all' | 'web' | 'worker';

export interface ServiceOptions {
  env: LoadedEnv<{ hubspot: true; heygen: true }>;
  config: ReelayConfig;
  role?: Role;
  clock?: Clock;
  random?: Random;
  logger?: Logger;
  /** Listen (default true); tests may use `app.inject` instead. */
  listen?: boolean;
}

export interface Service {
  url: string;
  app: FastifyInstance;
  engine: Engine;
  ctx: EngineContext;
  store: Store;
  metrics: Metrics;
  /** The zone whose midnight resets HubSpot's daily count, once account-info has answered (or UTC, after a warning). */
  dailyResetZone: Promise<string>;
  /** Re-reads `REELAY_CONFIG` (SIGHUP, `POST /api/config/reload`): see `app/reload-config.ts`. */
  reloadConfig(): ReloadOutcome;
  stop(): Promise<void>;
}

export async function startService(opts: ServiceOptions): Promise<Service> {
  const { env, config } = opts;
  const role = opts.role ?? 'all';
  const clock = opts.clock ?? systemClock;
  const random = opts.random ?? Math.random;
  const log = opts.logger ?? createLogger({ level: env.logLevel, secrets: secretValues(env) });
  const journalClientId = requireJournalClientId(env, config.hubspot.intake);
  const metrics = createMetrics();

  const store = openStore(env.databaseUrl, {
    checkpoints: 'background',
    onCheckpointsStopped: (err) => log.warn({ err }, 'the SQLite checkpoint thread stopped; checkpoints are back inside commits'),
    onWalFlush: (seconds) => metrics.walFlush.observe(seconds),
  });
  const migrated = await migrate(store);
  if (migrated.applied.length > 0) log.info({ applied: migrated.applied }, 'database migrated');
  if (store.dialect === 'sqlite' && role !== 'web') {
    const reclaimed = await reclaimAllLeases(store);
    if (reclaimed.renders + reclaimed.writes > 0) log.info(reclaimed, 'took over the leases of the previous process');
    await reclaimJournalLeases(store);
  }

  const budget = createBudget(store, config, clock);
  const observe = (provider: 'hubspot' | 'heygen') => (info: ResponseInfo) => {
    metrics.providerCalls.inc({ provider, operation: info.operation, outcome: String(info.status) });
    metrics.providerLatency.observe({ provider, operation: info.operation }, info.durationMs / 1000);
    if (provider === 'hubspot') budget.observe(info.headers);
  };
  const hubspot = createHubSpotClient({
    baseUrl: env.hubspotApiBase,
    accessToken: env.hubspotAccessToken,
    timeoutMs: config.hubspot.requestTimeout,
    onResponse: observe('hubspot'),
    clock,
    paths: hubspotPathsFor(config.hubspot.apiVersion),
  });
  const heygen = createHeyGenClient({
    api: config.heygen.api,
    baseUrl: env.heygenApiBase,
    apiKey: env.heygenApiKey,
    timeoutMs: config.heygen.requestTimeout,
    onResponse: observe('heygen'),
  });

  let journal: JournalClient | undefined;
  if (config.hubspot.intake === 'journal' && journalClientId !== undefined) {
    const token = new ClientCredentialsToken({
      baseUrl: env.hubspotApiBase,
      clientId: journalClientId,
      clientSecret: env.hubspotClientSecret,
      timeoutMs: config.hubspot.requestTimeout,
      clock,
      onResponse: observe('hubspot'),
    });
    journal = createJournalClient({ baseUrl: env.hubspotApiBase, token, timeoutMs: config.hubspot.requestTimeout, clock, onResponse: observe('hubspot') });
  }

  const workerId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const { engine, ctx } = createEngine({
    store,
    config,
    clock,
    random,
    log,
    metrics,
    hubspot,
    heygen,
    budget,
    window: new HeyGenWindow(config.heygen.concurrency),
    pauses: new QueuePauses(store, log, metrics, config.worker.pauseProbeEvery),
    workerId,
    publicUrl: env.publicUrl,
    ...(journal === undefined ? {} : { journal }),
  });
  if (journal !== undefined) log.info({ pollEvery: config.hubspot.journal.pollEvery }, 'HubSpot intake: polling the Webhooks Journal (no inbound webhooks needed)');
  if (config.heygen.link === 'stable' && !env.publicUrl) {
    log.warn('PUBLIC_URL is not set: video links written to HubSpot fall back to HeyGen share pages or expiring URLs');
  }

  let accepting = true;
  const reloadConfig = () => reloadConfigFile(ctx, env.configPath, process.env);
  const app = await buildApp({
    ctx,
    intake: new IntakeWriter(store, clock, ctx.webhooksFirst),
    secrets: { hubspotClientSecret: env.hubspotClientSecret, heygenWebhookSecret: env.heygenWebhookSecret, adminToken: env.adminToken, metricsToken: env.metricsToken },
    role,
    accepting: () => accepting,
    heygenApiBase: env.heygenApiBase,
    reloadConfig,
  });
  let url = '';
  if (opts.listen !== false) {
    url = await app.listen({ port: env.port, host: env.host });
    url = url.replace('[::1]', '127.0.0.1');
  }
  // The daily count's midnight is the account's; learnt in the background so a HubSpot outage never holds start-up.
  const memory = { get: () => getMeta(store, ACCOUNT_ZONE_KEY), set: (zone: string) => setMeta(store, ACCOUNT_ZONE_KEY, zone, clock.now()) };
  const dailyResetZone = role === 'web' ? Promise.resolve(budget.timeZone) : learnDailyResetZone({ hubspot, budget, log, memory });
  if (role !== 'web') engine.start();
  log.info({ url, role, database: store.describe, campaigns: config.campaigns.map((c) => c.id) }, 'reelay is running');

  let stopping: Promise<void> | null = null;
  return {
    url,
    app,
    engine,
    ctx,
    store,
    metrics,
    dailyResetZone,
    reloadConfig,
    stop() {
      stopping ??= (async () => {
        accepting = false;
        await app.close();
        await engine.stop();
        await dailyResetZone;
        await store.close();
        log.info('reelay stopped');
        log.flush?.();
      })();
      return stopping;
    },
  };
}
