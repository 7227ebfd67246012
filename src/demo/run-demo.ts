/**
 * `reelay demo`: the whole flow on this machine, no accounts needed:
 * the sandbox, a fresh SQLite database and `serve`, 25 seeded contacts,
 * their triggers, progress until every video is rendered and written back,
 * and a summary. It takes HubSpot's current path: date-based API paths
 * (`hubspot.apiVersion`, 2026-03 unless the configuration says otherwise) and
 * generic `object.*` subscription events, from a portal whose daily limit
 * resets at midnight in its own time zone.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { loadEnv } from '../config/env.js';
import { loadConfig } from '../config/load.js';
import { seededRandom } from '../core/clock.js';
import { silentLogger } from '../observability/logger.js';
import { startSandbox } from '../sandbox/index.js';
import { startService } from '../service.js';
import { ensureCrmProperties } from '../setup/crm-properties.js';
import { countPendingWrites } from '../store/count-outbox.js';
import { countByState } from '../app/list-renders.js';
import { listRenders } from '../store/list-renders.js';
import { fireDemoTriggers, fireJournalDemoTriggers, seedDemo } from './scenario.js';
import { journalClientFor } from '../setup/journal-client-for.js';
import { ensureJournalSubscriptions, journalPortalId } from '../setup/journal-subscriptions.js';
import { systemClock } from '../core/clock.js';
import { collectSummary, formatSummary, type DemoSummary } from './summary.js';
import { sandboxServiceEnv } from '../sandbox/service-env.js';

/** The demo portal's time zone (account-info), so the daily limit's midnight is not UTC's. */
const DEMO_TIME_ZONE = 'America/New_York';

export interface DemoOptions {
  configPath: string;
  seed: number;
  out: NodeJS.WritableStream;
  /** Keep the SQLite file (its path is printed) instead of deleting it. */
  keep: boolean;
  timeoutMs: number;
  /** `journal`: no inbound traffic at all (Webhooks Journal intake, HeyGen polled). Default `webhooks`. */
  intake?: 'webhooks' | 'journal';
  /**
   * After the summary, keep serving (the video page works in a browser here)
   * until Ctrl-C. Default: when `out` is a terminal.
   */
  keepOpen?: boolean;
  /** Resolves when a kept-open demo should stop (default: SIGINT or SIGTERM). */
  untilStopped?: () => Promise<void>;
}

export async function runDemo(opts: DemoOptions): Promise<DemoSummary> {
  const say = (line: string) => opts.out.write(`${line}\n`);
  const secrets = {
    hubspotAccessToken: `demo-token-${randomBytes(8).toString('hex')}`,
    hubspotClientSecret: `demo-secret-${randomBytes(8).toString('hex')}`,
    heygenApiKey: `demo-key-${randomBytes(8).toString('hex')}`,
    heygenWebhookSecret: `whsec_${randomBytes(24).toString('base64')}`,
  };
  const port = await freePort();
  const serviceUrl = `http://127.0.0.1:${port}`;
  const dir = mkdtempSync(join(tmpdir(), 'reelay-demo-'));

  const journalMode = opts.intake === 'journal';
  const sandbox = await startSandbox({
    secrets,
    seed: opts.seed,
    // Journal mode: the sandbox sends Reelay nothing; Reelay pulls from both.
    ...(journalMode ? {} : { hubspotTarget: `${serviceUrl}/webhooks/hubspot`, heygenTarget: `${serviceUrl}/webhooks/heygen` }),
    heygen: { renderMs: { min: 1_500, max: 4_000 }, concurrency: 3, overflow: '429' },
    hubspot: { timeZone: DEMO_TIME_ZONE, webhooks: { eventForm: 'generic' } },
  });
  say(`sandbox: HubSpot ${sandbox.hubspot.url}  HeyGen ${sandbox.heygen.url}`);

  const serviceEnv = sandboxServiceEnv(sandbox, secrets, { port, databaseUrl: `sqlite:${join(dir, 'reelay.db')}`, logLevel: 'silent' });
  // Journal mode runs with no public address at all.
  if (journalMode) delete serviceEnv.PUBLIC_URL;
  const env = loadEnv(serviceEnv, { hubspot: true, heygen: true });
  const config = loadConfig(opts.configPath, process.env);
  // The demo's renders take seconds: poll late callbacks after seconds too.
  config.heygen.callbackGrace = 5_000;
  config.heygen.pollEvery = 2_000;
  if (journalMode) {
    config.hubspot.intake = 'journal';
    config.hubspot.journal.pollEvery = 500;
    // No public address, so no /v/ links: HeyGen's share page goes into the CRM.
    config.heygen.link = 'share';
  }
  const service = await startService({ env, config, logger: silentLogger() });
  say(`reelay:  ${service.url}  (database ${env.databaseUrl})`);
  const zone = await service.dailyResetZone;
  say(`hubspot: API ${config.hubspot.apiVersion} paths, generic object.* events, daily limit resets at midnight ${zone}`);

  try {
    const created = await ensureCrmProperties(service.ctx.hubspot, config, { create: true });
    say(`setup:   ${created.filter((c) => c.status === 'created').length} HubSpot properties created on ${[...new Set(created.map((c) => c.objectType))].join(', ')}`);
    const scenario = seedDemo(sandbox.hubspot, seededRandom(opts.seed), Date.now());
    const expected = scenario.leads.length + scenario.deals.length + scenario.renewals.length;
    say(`seeded:  ${expected} records to trigger (${scenario.leads.length} leads, ${scenario.deals.length} deals, ${scenario.renewals.length} renewals)`);
    if (journalMode) {
      const { journal } = journalClientFor(env, config, { clock: systemClock });
      const checks = await ensureJournalSubscriptions(journal, config, await journalPortalId(config, () => service.ctx.hubspot.accountDetails()), { create: true });
      say(`setup:   ${checks.length} Webhooks Journal subscriptions created (${checks.map((c) => `${c.planned.objectType}: ${c.planned.properties.join(', ')}`).join('; ')})`);
      say('intake:  journal: Reelay polls the Webhooks Journal and HeyGen; nothing calls it (no PUBLIC_URL, no webhooks, no callbacks)');
    }
    sandbox.hubspot.control.resetStats();
    if (journalMode) {
      await fireJournalDemoTriggers(sandbox.hubspot, scenario, service, config);
      say('renewal: workflow webhooks need a public address, so the 7 renewals are queued as `reelay backfill` queues them');
    } else await fireDemoTriggers(sandbox.hubspot, scenario);

    const deadline = Date.now() + opts.timeoutMs;
    const isTty = (opts.out as NodeJS.WriteStream).isTTY === true;
    let lastLine = '';
    for (;;) {
      const counts = await countByState(service.store);
      const total = Object.values(counts).reduce((a, b) => a + b, 0);
      const live = (counts.received ?? 0) + (counts.enriched ?? 0) + (counts.submitting ?? 0) + (counts.rendering ?? 0);
      const pendingWrites = await countPendingWrites(service.store);
      const line = progressLine(counts, pendingWrites);
      if (isTty) opts.out.write(`\r\x1b[2K  ${line}`);
      else if (line !== lastLine) opts.out.write(`  ${line}\n`);
      lastLine = line;
      if (total >= expected && live === 0 && pendingWrites === 0) break;
      if (Date.now() > deadline) {
        if (isTty) opts.out.write('\n');
        throw new Error(`the demo did not finish within ${opts.timeoutMs / 1000}s (${progressLine(counts, pendingWrites)})`);
      }
      await new Promise((r) => setTimeout(r, 300));
    }
    opts.out.write(isTty ? '\n\n' : '\n');
    const summary = await collectSummary(service, sandbox, config);
    say(formatSummary(summary));
    if (journalMode) {
      const counters = sandbox.hubspot.journal.counters();
      say(`Webhooks Journal: ${counters.fileDownloads} journal file(s) read with ${counters.journalReads} journal call(s); no webhook or callback was sent (the sandbox knows no address of Reelay's)`);
    }
    const [linked] = await listRenders(service.store, { state: 'completed', limit: 1 });
    if (linked?.link_token) {
      say(`video page: ${service.url}/v/${linked.link_token}`);
      say(`thumbnail:  ${service.url}/v/${linked.link_token}/thumbnail.gif`);
    }
    if (opts.keepOpen ?? isTty) {
      say('serving the sandbox and Reelay until Ctrl-C: open the video page in a browser on this machine');
      await (opts.untilStopped ?? untilSignal)();
    }
    return summary;
  } finally {
    await service.stop();
    await sandbox.close();
    if (opts.keep) say(`database kept at ${join(dir, 'reelay.db')}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

function untilSignal(): Promise<void> {
  return new Promise((resolveStop) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolveStop();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

function progressLine(counts: Record<string, number>, pendingWrites: number): string {
  const order = ['received', 'enriched', 'submitting', 'rendering', 'awaiting_review', 'completed', 'skipped', 'failed', 'duplicate'];
  const parts = order.filter((s) => (counts[s] ?? 0) > 0).map((s) => `${s} ${counts[s]}`);
  return `${parts.join(' · ') || 'waiting for webhooks'}${pendingWrites > 0 ? ` · CRM writes queued ${pendingWrites}` : ''}`;
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

export const defaultDemoConfig = resolve(import.meta.dirname, '../../reelay.example.yaml');
