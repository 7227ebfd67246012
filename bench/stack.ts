/**
 * One benchmark stack: the sandbox (HubSpot + HeyGen simulators) in this
 * process, a fresh database, the HubSpot properties created, and Reelay's
 * `serve` in a child process pointed at all three.
 */
import { resolve } from 'node:path';
import { loadEnv } from '../src/config/env.js';
import { parseConfig } from '../src/config/load.js';
import { createHubSpotClient } from '../src/hubspot/client.js';
import { startSandbox, type Sandbox, type SandboxOptions } from '../src/sandbox/index.js';
import { ensureCrmProperties } from '../src/setup/crm-properties.js';
import { createTestDatabase, type TestDatabase } from '../test/helpers/databases.js';
import { freePort, testSecrets } from '../test/helpers/harness.js';
import type { BenchOptions } from './options.js';
import { startChildService, type ChildService } from './child-service.js';
import { sandboxServiceEnv } from '../src/sandbox/service-env.js';

export const CAMPAIGN = 'bdr-intro';
export const TRIGGER = { property: 'lifecyclestage', value: 'marketingqualifiedlead' } as const;

/** Reelay's configuration: production defaults except the plan limits under test. */
export function benchConfig(limits: { heygenConcurrency: number; hubspotBurst: number }, extra = ''): string {
  return `${extra}
heygen:
  api: v3
  concurrency: ${limits.heygenConcurrency}
hubspot:
  burst: ${limits.hubspotBurst}
campaigns:
  - id: ${CAMPAIGN}
    object: contacts
    trigger: { property: ${TRIGGER.property}, equals: ${TRIGGER.value} }
    template: tpl_bdr_intro
    title: "Intro for {{firstname}} at {{company}}"
    variables:
      first_name: { property: firstname, required: true }
      company_name: { property: company, fallback: "your team" }
      conversion_event: { property: recent_conversion_event_name, fallback: "your visit" }
`;
}

export interface StackOptions {
  bench: BenchOptions;
  heygenConcurrency: number;
  hubspotBurst: number;
  sandbox?: Pick<SandboxOptions, 'hubspot' | 'heygen'>;
  /** More top-level YAML for Reelay's configuration (e.g. a \`links:\` section). */
  extraConfig?: string;
  /** `serve --role` (default all); split: the first process `--role web`, plus one `--role worker` (the first of `others`). */
  role?: 'all' | 'web' | 'split';
  /**
   * Reelay processes on the one database (PostgreSQL for more than one).
   * Webhooks reach the first (the sandbox delivers to one URL); every
   * process runs workers, sharing the budgets kept in the database.
   */
  instances?: number;
}

export interface Stack {
  sandbox: Sandbox;
  /** The first Reelay process: it receives the webhooks. */
  reelay: ChildService;
  /** Further Reelay processes (workers on the same database). */
  others: ChildService[];
  database: TestDatabase;
  /** Reelay's base URL (also its PUBLIC_URL, which v3 signatures cover). */
  url: string;
  secrets: ReturnType<typeof testSecrets>;
  stop(): Promise<void>;
}

export async function startStack(opts: StackOptions): Promise<Stack> {
  const secrets = testSecrets();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const database = await createTestDatabase(opts.bench.dialect);
  const sandbox = await startSandbox({
    secrets,
    seed: opts.bench.seed,
    hubspotTarget: `${url}/webhooks/hubspot`,
    heygenTarget: `${url}/webhooks/heygen`,
    hubspot: { burst: opts.hubspotBurst, ...opts.sandbox?.hubspot },
    ...(opts.sandbox?.heygen === undefined ? {} : { heygen: opts.sandbox.heygen }),
  });
  const config = benchConfig({ heygenConcurrency: opts.heygenConcurrency, hubspotBurst: opts.hubspotBurst }, opts.extraConfig);
  // Errors only: the benchmark measures the work, not log formatting; errors are counted in the report.
  const env = sandboxServiceEnv(sandbox, secrets, { port, databaseUrl: database.url, logLevel: 'error' });

  try {
    await createProperties(env, config);
    // The measured run starts with an empty HubSpot window and clean counters.
    sandbox.hubspot.control.resetRateLimits();
    sandbox.hubspot.control.resetStats();
    const nodeArgs = opts.bench.cpuProfDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${resolve(opts.bench.cpuProfDir)}`];
    const split = opts.role === 'split';
    const reelay = await startChildService({ config, env, url, nodeArgs, args: ['serve', '--role', split ? 'web' : (opts.role ?? 'all')] });
    const others: ChildService[] = [];
    const other = async (role: 'all' | 'worker') => {
      const otherPort = await freePort();
      const otherEnv = sandboxServiceEnv(sandbox, secrets, { port: otherPort, databaseUrl: database.url, logLevel: 'error' });
      others.push(await startChildService({ config, env: otherEnv, url: `http://127.0.0.1:${otherPort}`, nodeArgs, args: ['serve', '--role', role] }));
    };
    if (split) await other('worker');
    for (let i = 1; i < (opts.instances ?? 1); i += 1) await other('all');
    return {
      sandbox,
      reelay,
      others,
      database,
      url,
      secrets,
      async stop() {
        await Promise.all([reelay, ...others].map((r) => r.stop()));
        await sandbox.close();
        await database.drop();
      },
    };
  } catch (err) {
    await sandbox.close();
    await database.drop();
    throw err;
  }
}

/** What `reelay setup` does for the CRM, done before the measured run. */
async function createProperties(rawEnv: Record<string, string>, configText: string): Promise<void> {
  const env = loadEnv(rawEnv, { hubspot: true, heygen: true });
  const config = parseConfig(configText, {}, 'bench config');
  const client = createHubSpotClient({ baseUrl: env.hubspotApiBase, accessToken: env.hubspotAccessToken, timeoutMs: 10_000 });
  await ensureCrmProperties(client, config, { create: true });
}
