/**
 * Scale-out on PostgreSQL: three `reelay serve` processes on one database,
 * 1,000 triggers spread over their three intakes, one instance killed with
 * SIGKILL mid-run. Every render completes, HeyGen bills exactly once per
 * render key, HubSpot never answers 429 (the budget is shared), and the
 * HeyGen window is never exceeded (it is counted in the database).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { wantedProperties } from '../../src/setup/crm-properties.js';
import { openStore } from '../../src/store/db.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { spawnCli, type CliProcess } from '../helpers/cli.js';
import { createTestDatabase, testDialects, type TestDatabase } from '../helpers/databases.js';
import { freePort, TEST_CONFIG, testSecrets } from '../helpers/harness.js';
import { waitReady } from '../helpers/ready.js';
import { signV3 } from '../helpers/signing.js';
import { sandboxServiceEnv } from '../../src/sandbox/service-env.js';

const TRIGGERS = 1_000;
const WINDOW = 4;
const BURST = 100;

describe.each((await testDialects()).filter((d) => d === 'postgres'))('three instances on %s', (dialect) => {
  const cleanup: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
  });

  it('render every trigger once, within both providers\' limits, though one instance is killed', async () => {
    const secrets = testSecrets();
    const database: TestDatabase = await createTestDatabase(dialect);
    cleanup.push(() => database.drop());
    const ports = [await freePort(), await freePort(), await freePort()];
    const urls = ports.map((p) => `http://127.0.0.1:${p}`);
    const sandbox: Sandbox = await startSandbox({
      secrets,
      // Callbacks go to the first instance; the others learn by polling.
      heygenTarget: `${urls[0]}/webhooks/heygen`,
      hubspot: { burst: BURST },
      heygen: { concurrency: WINDOW, overflow: '429', renderMs: { min: 40, max: 120 } },
    });
    cleanup.push(() => sandbox.close());

    const dir = mkdtempSync(join(tmpdir(), 'reelay-multi-'));
    cleanup.push(async () => rmSync(dir, { recursive: true, force: true }));
    const config = TEST_CONFIG.replace('concurrency: 3', `concurrency: ${WINDOW}`)
      .replace('callbackGrace: 3s', 'callbackGrace: 1s')
      .replace('worker:\n', 'worker:\n  leaseSeconds: 5\n  batchSize: 100\n');
    writeFileSync(join(dir, 'reelay.yaml'), config);
    const env = (port: number) => sandboxServiceEnv(sandbox, secrets, { port, databaseUrl: database.url, configPath: join(dir, 'reelay.yaml'), logLevel: 'warn' });
    const instances: CliProcess[] = ports.map((port) => spawnCli(['serve'], { env: env(port) }));
    for (const p of instances) cleanup.push(async () => p.kill('SIGKILL'));
    await Promise.all(urls.map((url) => waitReady(url)));

    const crm = sandbox.hubspot.crm;
    for (const def of wantedProperties(parseConfig(config, {}, 'test'))) crm.properties.create('contacts', { ...def, groupName: 'contactinformation' });
    const ids = crm.createMany('contacts', Array.from({ length: TRIGGERS }, (_, i) => ({ properties: { firstname: `Ann${i}`, company: 'Scale Out Inc', lifecyclestage: 'lead' } }))).map((r) => r.id);

    // Arrays of 100 subscription events, round-robin over the three intakes.
    for (let batch = 0; batch < TRIGGERS / 100; batch += 1) {
      const events = ids.slice(batch * 100, batch * 100 + 100).map((id, i) => ({
        eventId: batch * 100 + i + 1,
        subscriptionId: 7,
        portalId: 62515,
        appId: 1,
        occurredAt: Date.now(),
        subscriptionType: 'contact.propertyChange',
        attemptNumber: 0,
        objectId: Number(id),
        propertyName: 'lifecyclestage',
        propertyValue: 'marketingqualifiedlead',
        changeSource: 'IMPORT',
      }));
      const url = `${urls[batch % 3]}/webhooks/hubspot`;
      const body = JSON.stringify(events);
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...signV3(secrets.hubspotClientSecret, 'POST', url, body, Date.now()) }, body });
      expect(response.status).toBe(200);
    }

    const completed = () => ids.filter((id) => crm.get('contacts', id)?.properties.heygen_render_status === 'COMPLETED').length;
    const deadline = Date.now() + 150_000;
    while (completed() < 250 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    instances[1]!.kill('SIGKILL');
    await instances[1]!.exited;

    while (completed() < TRIGGERS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    expect(completed()).toBe(TRIGGERS);

    const billed = sandbox.heygen.ledger().filter((e) => e.billed);
    expect(billed).toHaveLength(TRIGGERS);
    expect(new Set(billed.map((e) => e.callback_id)).size).toBe(TRIGGERS);
    const hubspot = sandbox.hubspot.stats();
    expect(hubspot.statuses['429'] ?? 0).toBe(0);
    expect(hubspot.maxRequestsIn10s).toBeLessThanOrEqual(BURST);
    const heygen = sandbox.heygen.stats();
    expect(heygen.rateLimited).toBe(0);
    expect(heygen.maxConcurrentObserved).toBeLessThanOrEqual(WINDOW);

    const store = openStore(database.url);
    const live = await store.db.selectFrom('renders').select('id').where('state', 'in', ['received', 'enriched', 'submitting', 'rendering']).execute();
    await store.close();
    expect(live).toEqual([]);
  }, 240_000);
});
