/**
 * Two `reelay serve` processes with `hubspot.intake: journal` on one
 * PostgreSQL database: exactly one polls the journal at a time (a lease
 * row), so each entry is read once; when the poller is killed with SIGKILL,
 * the other takes over once the lease runs out, and every record is still
 * rendered and billed once.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { loadEnv } from '../../src/config/env.js';
import { parseConfig } from '../../src/config/load.js';
import { systemClock } from '../../src/core/clock.js';
import { createHubSpotClient } from '../../src/hubspot/client.js';
import { startSandbox } from '../../src/sandbox/index.js';
import { sandboxServiceEnv } from '../../src/sandbox/service-env.js';
import { ensureCrmProperties } from '../../src/setup/crm-properties.js';
import { journalClientFor } from '../../src/setup/journal-client-for.js';
import { ensureJournalSubscriptions, journalPortalId } from '../../src/setup/journal-subscriptions.js';
import { openStore } from '../../src/store/db.js';
import { spawnCli, tempDir, type CliProcess } from '../helpers/cli.js';
import { createTestDatabase, testDialects } from '../helpers/databases.js';
import { freePort, TEST_CONFIG, testSecrets } from '../helpers/harness.js';

const CONFIG = TEST_CONFIG.replace('hubspot:\n', 'hubspot:\n  intake: journal\n  journal: { pollEvery: 50ms }\n')
  .replace('worker:\n', 'worker:\n  leaseSeconds: 3\n')
  .replace('api: v3\n', 'api: v3\n  link: share\n');

async function until<T>(check: () => T | undefined | null | false | Promise<T | undefined | null | false>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.each((await testDialects()).filter((d) => d === 'postgres'))('journal pollers on %s', (dialect) => {
  const cleanup: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
  });

  it('one instance polls at a time; a killed poller is replaced and nothing is lost or billed twice', { timeout: 180_000 }, async () => {
    const secrets = testSecrets();
    const database = await createTestDatabase(dialect);
    cleanup.push(() => database.drop());
    // No targets: nothing is pushed to Reelay, everything is pulled.
    const sandbox = await startSandbox({ secrets, heygen: { renderMs: { min: 40, max: 120 } } });
    cleanup.push(() => sandbox.close());
    const dir = tempDir('reelay-journal-multi-');
    cleanup.push(async () => dir.remove());
    const configPath = dir.write('reelay.yaml', CONFIG);
    const config = parseConfig(CONFIG, {}, 'journal config');
    const envOf = async () => sandboxServiceEnv(sandbox, secrets, { port: await freePort(), databaseUrl: database.url, configPath, logLevel: 'info' });

    // What `reelay setup` does.
    const env = loadEnv(await envOf(), { hubspot: true, heygen: true });
    const hubspot = createHubSpotClient({ baseUrl: env.hubspotApiBase, accessToken: secrets.hubspotAccessToken, timeoutMs: 10_000 });
    await ensureCrmProperties(hubspot, config, { create: true });
    const { journal } = journalClientFor(env, config, { clock: systemClock });
    await ensureJournalSubscriptions(journal, config, await journalPortalId(config, () => hubspot.accountDetails()), { create: true });

    const instances: CliProcess[] = [];
    for (let i = 0; i < 2; i += 1) {
      const child = spawnCli(['serve'], { env: await envOf() });
      cleanup.push(async () => child.kill('SIGKILL'));
      instances.push(child);
    }
    await Promise.all(instances.map((p) => p.waitForOutput(/"msg":"reelay is running"/, 60_000)));

    const store = openStore(database.url, { poolSize: 2 });
    cleanup.push(() => store.close());
    const holder = async () => (await store.db.selectFrom('journal_cursor').select(['leased_by', 'lease_until']).where('name', '=', 'hubspot').executeTakeFirst())?.leased_by ?? null;
    const pidOf = (owner: string) => Number(owner.split(':')[1]);

    const crm = sandbox.hubspot.crm;
    const completed = (ids: string[]) => ids.every((id) => crm.get('contacts', id)?.properties.heygen_render_status === 'COMPLETED');
    const qualify = (n: number, tag: string) => {
      const ids = crm.createMany('contacts', Array.from({ length: n }, (_, i) => ({ properties: { firstname: `${tag}${i}`, company: 'Two Pollers', lifecyclestage: 'lead' } }))).map((r) => r.id);
      for (const id of ids) crm.update('contacts', id, { lifecyclestage: 'marketingqualifiedlead' });
      return ids;
    };

    // Phase 1: both running. Only the lease holder reads: each entry is downloaded once
    // (a lease that lapsed under load could add a re-read, never a second poller), and
    // every journal event is stored exactly once.
    const first = qualify(10, 'First');
    await until(async () => completed(first), 60_000, 'the first records to be COMPLETED');
    const entries = sandbox.hubspot.journal.entries();
    expect(sandbox.hubspot.journal.counters().fileDownloads).toBeGreaterThanOrEqual(entries.length);
    expect(sandbox.hubspot.journal.counters().fileDownloads).toBeLessThanOrEqual(entries.length + 2);
    const storedEvents = async () => Number((await store.db.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    expect(await storedEvents()).toBe(entries.reduce((n, e) => n + e.eventCount, 0));

    // Phase 2: kill the poller; the other instance takes over after the lease runs out.
    const owner = (await holder()) as string;
    const victim = instances.find((p) => p.child.pid === pidOf(owner));
    const survivor = instances.find((p) => p !== victim);
    expect(victim).toBeDefined();
    victim?.kill('SIGKILL');
    await victim?.exited;
    const second = qualify(10, 'Second');
    await until(async () => completed(second), 60_000, 'the records changed after the kill to be COMPLETED');
    const newOwner = await holder();
    expect(await storedEvents()).toBe(sandbox.hubspot.journal.entries().reduce((n, e) => n + e.eventCount, 0));
    expect(newOwner).not.toBe(owner);
    expect(pidOf(newOwner as string)).toBe(survivor?.child.pid);

    await until(async () => {
      const live = await store.db.selectFrom('renders').select((eb) => eb.fn.countAll<number>().as('n')).where('state', 'not in', ['completed', 'failed', 'skipped', 'cancelled']).executeTakeFirstOrThrow();
      return Number(live.n) === 0;
    }, 30_000, 'no render in flight');
    await sandbox.heygen.drain();
    const billed = sandbox.heygen.ledger().filter((e) => e.billed);
    expect(billed).toHaveLength(20);
    expect(new Set(billed.map((e) => e.variables.first_name)).size).toBe(20);
  });
});
