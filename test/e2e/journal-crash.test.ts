/**
 * `reelay serve` with `hubspot.intake: journal` as a real process, killed
 * with SIGKILL again and again while it polls many journal entries, and
 * restarted on the same SQLite file: every journal event becomes exactly
 * one render and HeyGen's ledger bills each record once. The offset moves
 * in the transaction that stores the entry's events, so a kill at any
 * moment neither skips nor repeats an entry.
 */
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { loadEnv } from '../../src/config/env.js';
import { parseConfig } from '../../src/config/load.js';
import { systemClock } from '../../src/core/clock.js';
import { createHubSpotClient } from '../../src/hubspot/client.js';
import { journalClientFor } from '../../src/setup/journal-client-for.js';
import { ensureJournalSubscriptions, journalPortalId } from '../../src/setup/journal-subscriptions.js';
import { tempDir, type TempDir } from '../helpers/cli.js';
import { TEST_CONFIG } from '../helpers/harness.js';
import { startServeFixture, until, type ServeFixture } from './serve-fixture.js';

const CONTACTS = 60;
const KILLS = 5;

const JOURNAL_CONFIG = TEST_CONFIG.replace(
  'hubspot:\n',
  'hubspot:\n  intake: journal\n  journal: { pollEvery: 20ms, maxEntriesPerPoll: 1 }\n',
);

describe('journal intake: reelay serve killed mid-poll', () => {
  let f: ServeFixture | undefined;
  let dir: TempDir | undefined;
  afterEach(async () => {
    await f?.close();
    dir?.remove();
  });

  it('SIGKILLed repeatedly while reading many journal entries, each event becomes exactly one render, billed once', { timeout: 300_000 }, async () => {
    f = await startServeFixture();
    dir = tempDir();
    const { sandbox } = f;
    const configPath = dir.write('reelay.yaml', JOURNAL_CONFIG);
    const overrides = { REELAY_CONFIG: configPath };
    const env = loadEnv({ ...f.env, ...overrides }, { hubspot: true, heygen: true });
    const config = parseConfig(JOURNAL_CONFIG, {}, 'journal config');
    // What `reelay setup` does for the journal.
    const { journal } = journalClientFor(env, config, { clock: systemClock });
    const hubspot = createHubSpotClient({ baseUrl: env.hubspotApiBase, accessToken: f.secrets.hubspotAccessToken, timeoutMs: 10_000 });
    await ensureJournalSubscriptions(journal, config, await journalPortalId(config, () => hubspot.accountDetails()), { create: true });

    // One event per journal entry, and reads slow enough that kills land mid-poll.
    sandbox.hubspot.journal.configure({ maxEventsPerEntry: 1, readLatencyMs: 40 });
    const crm = sandbox.hubspot.crm;
    const ids = crm
      .createMany('contacts', Array.from({ length: CONTACTS }, (_, i) => ({ properties: { firstname: `Journal${i}`, company: 'Offset Ltd', lifecyclestage: 'lead' } })))
      .map((r) => r.id);
    crm.updateMany('contacts', ids.map((id) => ({ id, properties: { lifecyclestage: 'marketingqualifiedlead' } })));
    // Creation (lifecyclestage lead: ignored) and the change to MQL (renders): two entries per contact.
    const journalEvents = sandbox.hubspot.journal.entries().reduce((n, e) => n + e.eventCount, 0);
    expect(journalEvents).toBe(2 * CONTACTS);

    const dbPath = env.database.dialect === 'sqlite' ? env.database.path : '';
    const storedEvents = () => {
      try {
        const db = new Database(dbPath, { readonly: true, fileMustExist: true });
        try {
          return (db.prepare("select count(*) as n from events where kind = 'subscription'").get() as { n: number }).n;
        } finally {
          db.close();
        }
      } catch {
        return 0;
      }
    };

    const progress: number[] = [];
    for (let kill = 0; kill < KILLS; kill += 1) {
      const child = await f.serve(overrides);
      const before = sandbox.hubspot.journal.counters().fileDownloads;
      // Let it read a few entries, then kill it wherever it is (mid-read, mid-download or mid-commit).
      await until(() => sandbox.hubspot.journal.counters().fileDownloads >= before + 2 + kill, 60_000, 'the poller to read entries', 5);
      await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 60)));
      child.kill('SIGKILL');
      expect((await child.exited).signal).toBe('SIGKILL');
      progress.push(storedEvents());
    }
    // Killed before the end each time, and progress was kept across kills.
    expect(progress.at(-1)).toBeLessThan(journalEvents);
    expect(progress.at(-1)).toBeGreaterThan(0);
    for (let i = 1; i < progress.length; i += 1) expect(progress[i]).toBeGreaterThanOrEqual(progress[i - 1] as number);

    const last = await f.serve(overrides);
    const completed = () => ids.filter((id) => crm.get('contacts', id)?.properties.heygen_render_status === 'COMPLETED').length;
    await until(() => completed() === CONTACTS, 180_000, 'every contact to be COMPLETED in the CRM', 100);
    await until(
      async () => {
        const response = await fetch(`${f?.serviceUrl}/api/renders`, { headers: { authorization: `Bearer ${f?.secrets.adminToken}` } });
        const { counts } = (await response.json()) as { counts: Record<string, number> };
        return JSON.stringify(counts) === JSON.stringify({ completed: CONTACTS });
      },
      60_000,
      'every render to be completed in the store',
      200,
    );
    last.kill('SIGTERM');
    expect((await last.exited).code).toBe(0);
    await sandbox.heygen.drain();

    // Exactly one stored event and one render per journal event.
    const db = new Database(dbPath, { readonly: true });
    try {
      expect(db.prepare("select count(*) as n from events where kind = 'subscription'").get()).toEqual({ n: journalEvents });
      const renders = db.prepare("select object_id, count(*) as n from renders where campaign_id = 'bdr-intro' group by object_id").all() as { object_id: string; n: number }[];
      expect(renders).toHaveLength(CONTACTS);
      expect(renders.every((r) => r.n === 1)).toBe(true);
      expect(db.prepare("select position from journal_cursor where name = 'hubspot'").get()).toEqual({ position: sandbox.hubspot.journal.entries().at(-1)?.offset });
    } finally {
      db.close();
    }
    const billed = sandbox.heygen.ledger().filter((e) => e.billed);
    expect(billed).toHaveLength(CONTACTS);
    expect(new Set(billed.map((e) => e.variables.first_name)).size).toBe(CONTACTS);
    expect(sandbox.hubspot.journal.counters().fileDownloadsWithAuthorization).toBe(0);
  });
});
