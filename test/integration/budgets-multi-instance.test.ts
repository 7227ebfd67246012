/**
 * A credit budget holds across processes: several `reelay serve --role
 * worker` processes race to reserve renders on one PostgreSQL database with
 * a daily cap, and HeyGen's ledger never shows more than the cap.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import type { RenderState } from '../../src/core/states.js';
import { wantedProperties } from '../../src/setup/crm-properties.js';
import { openStore } from '../../src/store/db.js';
import { startSandbox } from '../../src/sandbox/index.js';
import { sandboxServiceEnv } from '../../src/sandbox/service-env.js';
import { spawnCli, type CliProcess } from '../helpers/cli.js';
import { createTestDatabase, testDialects } from '../helpers/databases.js';
import { freePort, TEST_CONFIG, testSecrets } from '../helpers/harness.js';
import { waitReady } from '../helpers/ready.js';
import { signV3 } from '../helpers/signing.js';

const CAP = 7;
const TRIGGERS = 40;
const WORKERS = 3;

describe.each((await testDialects()).filter((d) => d === 'postgres'))('a daily cap shared by worker processes on %s', (dialect) => {
  const cleanup: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
  });

  it('never bills more than the cap, however the workers race', async () => {
    const secrets = testSecrets();
    const database = await createTestDatabase(dialect);
    cleanup.push(() => database.drop());
    const webPort = await freePort();
    const webUrl = `http://127.0.0.1:${webPort}`;
    // A wide window on both sides: the cap, not the concurrency, is what stops the workers.
    const sandbox = await startSandbox({ secrets, heygenTarget: `${webUrl}/webhooks/heygen`, heygen: { concurrency: 50, renderMs: { min: 40, max: 120 } } });
    cleanup.push(() => sandbox.close());

    const dir = mkdtempSync(join(tmpdir(), 'reelay-budget-multi-'));
    cleanup.push(async () => rmSync(dir, { recursive: true, force: true }));
    const config = `${TEST_CONFIG.replace('concurrency: 3', 'concurrency: 50').replace('worker:\n', 'worker:\n  leaseSeconds: 5\n  batchSize: 100\n')}budgets:\n  daily: ${CAP}\n`;
    const configPath = join(dir, 'reelay.yaml');
    writeFileSync(configPath, config);
    const env = (port: number) => sandboxServiceEnv(sandbox, secrets, { port, databaseUrl: database.url, configPath, logLevel: 'warn' });

    const web = spawnCli(['serve', '--role', 'web'], { env: env(webPort) });
    cleanup.push(async () => web.kill('SIGKILL'));
    await waitReady(webUrl);

    const crm = sandbox.hubspot.crm;
    for (const def of wantedProperties(parseConfig(config, {}, 'test'))) crm.properties.create('contacts', { ...def, groupName: 'contactinformation' });
    const ids = crm.createMany('contacts', Array.from({ length: TRIGGERS }, (_, i) => ({ properties: { firstname: `Ann${i}`, company: 'Race Inc' } }))).map((r) => r.id);
    for (const id of ids) {
      const url = `${webUrl}/webhooks/hubspot?campaign=bdr-intro`;
      const body = JSON.stringify({ hs_object_id: Number(id) });
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...signV3(secrets.hubspotClientSecret, 'POST', url, body, Date.now()) }, body });
      expect(response.ok).toBe(true);
    }

    // The workers start together, with every trigger waiting.
    const workerPorts = await Promise.all(Array.from({ length: WORKERS }, () => freePort()));
    const workers: CliProcess[] = workerPorts.map((port) => spawnCli(['serve', '--role', 'worker'], { env: env(port) }));
    for (const w of workers) cleanup.push(async () => w.kill('SIGKILL'));

    const store = openStore(database.url);
    cleanup.push(() => store.close());
    const count = async (state: RenderState) =>
      Number((await store.db.selectFrom('renders').select((eb) => eb.fn.countAll<number>().as('n')).where('state', '=', state).executeTakeFirstOrThrow()).n);
    const billed = () => sandbox.heygen.ledger().filter((e) => e.billed).length;

    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline && !(billed() >= CAP && (await count('enriched')) === TRIGGERS - CAP)) {
      expect(billed()).toBeLessThanOrEqual(CAP);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(billed()).toBe(CAP);
    expect(await count('enriched')).toBe(TRIGGERS - CAP);
    // The workers keep ticking against the cap; still nothing more is billed.
    for (let i = 0; i < 20; i += 1) {
      await new Promise((r) => setTimeout(r, 50));
      expect(billed()).toBeLessThanOrEqual(CAP);
    }
    expect(billed()).toBe(CAP);
    expect(new Set(sandbox.heygen.ledger().filter((e) => e.billed).map((e) => e.callback_id)).size).toBe(CAP);
    const slots = await store.db.selectFrom('credit_slots').selectAll().execute();
    expect(slots).toHaveLength(CAP);
    expect(await count('failed')).toBe(0);
    const pause = await store.db.selectFrom('meta').select('value').where('key', '=', 'pause:budget:global').executeTakeFirst();
    expect(JSON.parse(pause?.value ?? '{}')).toMatchObject({ code: 'budget' });
  }, 150_000);
});
