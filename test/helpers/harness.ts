/**
 * An in-process Reelay wired to the sandbox, for integration tests: real
 * HTTP both ways, a real database (fresh SQLite file or PostgreSQL database).
 *
 *   const h = await startHarness({ dialect: 'sqlite' });
 *   ... h.sandbox.hubspot.crm.create(...), h.postHubSpot(...)
 *   await h.waitFor(async () => ...);
 *   await h.stop();
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { Writable } from 'node:stream';
import { loadEnv, type LoadedEnv } from '../../src/config/env.js';
import { parseConfig } from '../../src/config/load.js';
import type { ReelayConfig } from '../../src/config/schema.js';
import type { Clock } from '../../src/core/clock.js';
import { createLogger } from '../../src/observability/logger.js';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/index.js';
import { startService, type Role, type Service } from '../../src/service.js';
import { ensureCrmProperties } from '../../src/setup/crm-properties.js';
import { hubspotApiVersions, type HubSpotApiVersion } from '../../src/hubspot/paths.js';
import { createTestDatabase, testDialects, type TestDatabase } from './databases.js';
import { signV3 } from './signing.js';
import { sandboxServiceEnv } from '../../src/sandbox/service-env.js';

/** The three seed use cases (the same as `reelay.example.yaml`), shared by test configurations. */
export const SEED_CAMPAIGNS = `campaigns:
  - id: bdr-intro
    object: contacts
    trigger: { property: lifecyclestage, equals: marketingqualifiedlead }
    template: tpl_bdr_intro
    title: "Intro for {{firstname}} at {{company}}"
    variables:
      first_name: { property: firstname, required: true }
      company_name: { property: company, fallback: "your team" }
      conversion_event: { property: recent_conversion_event_name, fallback: "your visit" }
  - id: onboarding
    object: deals
    trigger: { property: dealstage, equals: closedwon }
    template: tpl_onboarding
    title: "Welcome aboard, {{contact.firstname}}"
    variables:
      first_name: { property: firstname, from: contact, required: true }
      company_name: { property: company, from: contact, fallback: "your team" }
      package_name: { property: package_name, fallback: "your plan" }
  - id: renewal
    object: contacts
    template: tpl_renewal
    title: "Renewal for {{firstname}}"
    variables:
      first_name: { property: firstname, required: true }
      company_name: { property: company, fallback: "your team" }
      renewal_date: { property: contract_end_date, required: true }
      usage_hours: { property: usage_hours, from: company, fallback: "many" }
`;

export const TEST_CONFIG = `
heygen:
  api: v3
  concurrency: 3
  callbackGrace: 3s
  pollEvery: 1s
hubspot:
  burst: 100
  batchDelay: 20ms
worker:
  idleDelay: 50ms
  retryBase: 100ms
  retryCap: 2s
${SEED_CAMPAIGNS}`;

/**
 * Every database × `hubspot.apiVersion` pair, for the suites that prove both
 * path tables: `describe.each(await testMatrix())('... on %s, HubSpot API %s', (dialect, apiVersion) => ...)`.
 */
export async function testMatrix(): Promise<Array<['sqlite' | 'postgres', HubSpotApiVersion]>> {
  const dialects = await testDialects();
  return dialects.flatMap((dialect) => hubspotApiVersions.map((version) => [dialect, version] as ['sqlite' | 'postgres', HubSpotApiVersion]));
}

/** The versions the sandbox's stats name for calls made on `apiVersion` (v3 reads associations on v4). */
export function pathVersionsOf(apiVersion: HubSpotApiVersion): string[] {
  return apiVersion === 'v3' ? ['v3', 'v4'] : ['2026-03'];
}

export interface HarnessOptions {
  dialect?: 'sqlite' | 'postgres';
  /** `hubspot.apiVersion` (default: the configuration's, i.e. 2026-03). */
  apiVersion?: HubSpotApiVersion;
  /** YAML; defaults to TEST_CONFIG. */
  config?: string;
  /** Changes applied to the parsed config. */
  tweak?: (config: ReelayConfig) => void;
  sandbox?: Omit<SandboxOptions, 'secrets' | 'hubspotTarget' | 'heygenTarget'>;
  logLevel?: string;
  role?: Role;
  /** Create the heygen_* properties in the sandbox CRM (default true). */
  setup?: boolean;
  /** The service's clock (default: the system clock); give the sandbox the same one to keep signatures fresh. */
  clock?: Clock;
  /** More environment variables for the service (e.g. `REELAY_METRICS_TOKEN`). */
  env?: Record<string, string>;
  /** false: the sandbox sends Reelay nothing (no HubSpot webhooks, no HeyGen callbacks). Default true. */
  inbound?: boolean;
}

export interface Harness {
  sandbox: Sandbox;
  service: Service;
  database: TestDatabase;
  env: LoadedEnv<{ hubspot: true; heygen: true }>;
  config: ReelayConfig;
  secrets: { hubspotAccessToken: string; hubspotClientSecret: string; heygenApiKey: string; heygenWebhookSecret: string; adminToken: string };
  /** Everything the service logged, as text. */
  logs(): string;
  /** The API versions the sandbox saw HubSpot calls on (`v3`, `v4`, `2026-03`). */
  usedPathVersions(): string[];
  /** POST a body to /webhooks/hubspot, signed v3 unless `sign: false` or custom headers are given. */
  postHubSpot(body: unknown, opts?: { query?: string; headers?: Record<string, string>; sign?: boolean; raw?: string }): Promise<Response>;
  /** Polls until `check` returns a truthy value (or throws after `timeoutMs`). */
  waitFor<T>(check: () => Promise<T | undefined | null | false>, timeoutMs?: number, what?: string): Promise<T>;
  /** Resolves when no render is live and no CRM write is queued. */
  settled(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A port nothing listens on right now, for a child process that must be
 * told its port (or a port that must stay unused); `startHarness` lets its
 * service choose its own instead. Racy by nature: the port is released
 * before the caller binds it. So it is drawn at random from below Linux's
 * ephemeral range (32768-60999), where neither outgoing connections nor the
 * listeners that bind port 0 (every sandbox) are ever put: only another
 * `freePort` caller could take it, one chance in thousands. (A port from
 * `listen(0)` lost that race in CI: EADDRINUSE.)
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const port = PRIVATE_PORTS.low + Math.floor(Math.random() * (PRIVATE_PORTS.high - PRIVATE_PORTS.low));
    if (await canListen(port)) return port;
  }
  return listenOnce(0);
}

const PRIVATE_PORTS = { low: 20_000, high: 32_000 };

async function canListen(port: number): Promise<boolean> {
  try {
    await listenOnce(port);
    return true;
  } catch {
    return false;
  }
}

/** Binds `port` on 127.0.0.1 (0: any), releases it, and answers the port bound. */
function listenOnce(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(bound));
    });
  });
}

/** Where webhooks point until the service listens: the discard port, where nothing answers. */
const NOT_YET_LISTENING = 'http://127.0.0.1:9';

export function testSecrets() {
  return {
    hubspotAccessToken: `pat-na1-${randomBytes(12).toString('hex')}`,
    hubspotClientSecret: `cs-${randomBytes(12).toString('hex')}`,
    heygenApiKey: `hg-${randomBytes(12).toString('hex')}`,
    heygenWebhookSecret: `whsec_${randomBytes(24).toString('base64')}`,
    adminToken: `adm-${randomBytes(12).toString('hex')}`,
  };
}

export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const secrets = testSecrets();
  const database = await createTestDatabase(opts.dialect ?? 'sqlite');
  // The service listens on port 0 and the webhooks are pointed at the port it got:
  // a port picked beforehand (freePort) could be taken by another listener before the service binds it.
  const sandbox = await startSandbox({
    ...opts.sandbox,
    secrets,
    ...(opts.inbound === false
      ? {}
      : { hubspotTarget: `${NOT_YET_LISTENING}/webhooks/hubspot`, heygenTarget: `${NOT_YET_LISTENING}/webhooks/heygen` }),
    heygen: { renderMs: { min: 50, max: 150 }, ...opts.sandbox?.heygen },
    hubspot: { ...opts.sandbox?.hubspot, webhooks: { retryDelayMs: 50, retryMaxDelayMs: 500, ...opts.sandbox?.hubspot?.webhooks } },
  });
  const env = loadEnv(
    {
      ...sandboxServiceEnv(sandbox, secrets, { port: 0, databaseUrl: database.url, adminToken: secrets.adminToken, logLevel: opts.logLevel ?? 'warn' }),
      ...opts.env,
    },
    { hubspot: true, heygen: true },
  );
  const config = parseConfig(opts.config ?? TEST_CONFIG, {}, 'test config');
  if (opts.apiVersion !== undefined) config.hubspot.apiVersion = opts.apiVersion;
  opts.tweak?.(config);

  let logText = '';
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logText += String(chunk);
      done();
    },
  });
  const logger = createLogger({ level: env.logLevel, secrets: [], destination: sink });
  const service = await startService({ env, config, logger, ...(opts.role ? { role: opts.role } : {}), ...(opts.clock ? { clock: opts.clock } : {}) });
  const serviceUrl = service.url;
  env.port = Number(new URL(serviceUrl).port);
  env.publicUrl = serviceUrl;
  service.ctx.publicUrl = serviceUrl;
  if (opts.inbound !== false) {
    sandbox.hubspot.webhooks.setTarget(`${serviceUrl}/webhooks/hubspot`);
    sandbox.heygen.setWebhookTarget(`${serviceUrl}/webhooks/heygen`);
  }
  // Its one account-info call is made before the test counts anything.
  await service.dailyResetZone;
  if (opts.setup !== false) await ensureCrmProperties(service.ctx.hubspot, config, { create: true });

  const harness: Harness = {
    sandbox,
    service,
    database,
    env,
    config,
    secrets,
    logs: () => logText,
    usedPathVersions: () => Object.keys(sandbox.hubspot.stats().apiVersions).sort(),
    async postHubSpot(body, o = {}) {
      const raw = o.raw ?? JSON.stringify(body);
      const url = `${serviceUrl}/webhooks/hubspot${o.query ?? ''}`;
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (o.sign !== false && !o.headers) Object.assign(headers, signV3(secrets.hubspotClientSecret, 'POST', url, raw, opts.clock?.now() ?? Date.now()));
      Object.assign(headers, o.headers);
      return fetch(url, { method: 'POST', headers, body: raw });
    },
    async waitFor(check, timeoutMs = 20_000, what = 'condition') {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const value = await check();
        if (value) return value as never;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async settled(timeoutMs = 30_000) {
      await harness.waitFor(
        async () => {
          const live = await service.store.db
            .selectFrom('renders')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('state', 'in', ['received', 'enriched', 'submitting', 'rendering'])
            .executeTakeFirstOrThrow();
          const writes = await service.store.db.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
          return Number(live.n) === 0 && Number(writes.n) === 0;
        },
        timeoutMs,
        'every render to settle and every CRM write to be sent',
      );
    },
    async stop() {
      await service.stop();
      await sandbox.close();
      await database.drop();
    },
  };
  return harness;
}
