/**
 * `reelay serve` as a child process against the sandbox running in the test
 * process: the environment a user would set (port, public URL, SQLite file,
 * secrets, API bases pointed at the sandbox, a config file like the
 * harness's), the CRM properties `reelay setup` would create, and cleanup.
 *
 *   const f = await startServeFixture();
 *   const child = await f.serve();            // resolves once it is running
 *   ... f.sandbox.hubspot.crm ..., child.kill('SIGKILL'), await f.serve() ...
 *   await f.close();
 */
import { join } from 'node:path';
import { parseConfig } from '../../src/config/load.js';
import { createHubSpotClient } from '../../src/hubspot/client.js';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/index.js';
import { ensureCrmProperties } from '../../src/setup/crm-properties.js';
import { spawnCli, tempDir, type CliProcess } from '../helpers/cli.js';
import { freePort, testSecrets, TEST_CONFIG } from '../helpers/harness.js';
import { sandboxServiceEnv } from '../../src/sandbox/service-env.js';

const START_TIMEOUT_MS = 60_000;

export interface ServeFixture {
  sandbox: Sandbox;
  secrets: ReturnType<typeof testSecrets>;
  /** The service's address (the same on every restart, so webhooks keep reaching it). */
  serviceUrl: string;
  env: Record<string, string>;
  /** Starts `reelay serve` (with `overrides` on top of `env`) and resolves once it logs that it is running. */
  serve(overrides?: Record<string, string>): Promise<CliProcess>;
  /** Every secret the fixture knows, to check output against. */
  secretValues(): string[];
  /** SIGKILLs any child still running, closes the sandbox, removes the files. */
  close(): Promise<void>;
}

export async function startServeFixture(opts: { heygen?: SandboxOptions['heygen'] } = {}): Promise<ServeFixture> {
  const dir = tempDir();
  const secrets = testSecrets();
  const port = await freePort();
  const serviceUrl = `http://127.0.0.1:${port}`;
  const sandbox = await startSandbox({
    secrets,
    hubspotTarget: `${serviceUrl}/webhooks/hubspot`,
    heygenTarget: `${serviceUrl}/webhooks/heygen`,
    heygen: { renderMs: { min: 200, max: 400 }, concurrency: 3, ...opts.heygen },
    hubspot: { webhooks: { retryDelayMs: 50, retryMaxDelayMs: 500 } },
  });
  const children: CliProcess[] = [];
  const extraSecrets: string[] = [];
  try {
    // What `reelay setup` does: `serve` never creates properties.
    const hubspot = createHubSpotClient({ baseUrl: sandbox.hubspot.url, accessToken: secrets.hubspotAccessToken, timeoutMs: 10_000 });
    await ensureCrmProperties(hubspot, parseConfig(TEST_CONFIG, {}, 'test config'), { create: true });
  } catch (err) {
    await sandbox.close();
    dir.remove();
    throw err;
  }
  const env = sandboxServiceEnv(sandbox, secrets, {
    port,
    databaseUrl: `sqlite:${join(dir.path, 'reelay.db')}`,
    configPath: dir.write('reelay.yaml', TEST_CONFIG),
    adminToken: secrets.adminToken,
    logLevel: 'info',
  });

  return {
    sandbox,
    secrets,
    serviceUrl,
    env,
    async serve(overrides = {}) {
      for (const name of ['HUBSPOT_ACCESS_TOKEN', 'HUBSPOT_CLIENT_SECRET', 'HEYGEN_API_KEY', 'HEYGEN_WEBHOOK_SECRET', 'REELAY_ADMIN_TOKEN']) {
        const value = overrides[name];
        if (value !== undefined) extraSecrets.push(value);
      }
      const child = spawnCli(['serve'], { env: { ...env, ...overrides } });
      children.push(child);
      await child.waitForOutput(/"msg":"reelay is running"/, START_TIMEOUT_MS);
      return child;
    },
    secretValues: () => [...Object.values(secrets), secrets.heygenWebhookSecret.slice('whsec_'.length), ...extraSecrets],
    async close() {
      for (const child of children) {
        child.kill('SIGKILL');
        await child.exited;
      }
      await sandbox.close();
      dir.remove();
    },
  };
}

/** Polls `check` until it gives a truthy value, or fails naming `what` after `timeoutMs`. */
export async function until<T>(check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs: number, what: string, everyMs = 20): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
