/**
 * One chaos run, as the "nothing lost, nothing paid twice" issue defines it:
 *
 *  1. the sandbox in this process, with HeyGen and HubSpot faults on;
 *     `reelay serve` as a child process on a fresh database (SQLite file,
 *     or a PostgreSQL database for the soak's `--database postgres`);
 *  2. first pass: waves of records across the three campaigns, each
 *     record's trigger fired 1-3 times in shuffled order, while `serve` is
 *     SIGKILLed and restarted and 429 storms come and go;
 *  3. settle, then verify (CRM, ledger, store);
 *  4. second pass: the same triggers again, same data, more kills;
 *     settle, verify again, and the ledger must not have grown.
 *
 * Used by the CI test (fixed seed, ~300 records) and the soak (`npm run chaos`).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../src/config/load.js';
import { seededRandom } from '../../src/core/clock.js';
import { createHubSpotClient } from '../../src/hubspot/client.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { sandboxServiceEnv } from '../../src/sandbox/service-env.js';
import { ensureCrmProperties } from '../../src/setup/crm-properties.js';
import { postgresDatabase, type TestDatabase } from '../helpers/databases.js';
import { freePort, testSecrets } from '../helpers/harness.js';
import {
  chaosReelayConfig,
  HEYGEN_CALLBACK_RETRY_DELAYS_MS,
  HEYGEN_CONCURRENCY,
  HEYGEN_FAULTS,
  HUBSPOT_FAULTS,
  HUBSPOT_WEBHOOKS,
} from './chaos-config.js';
import { fetchHeyGenFailures } from './heygen-failures.js';
import { CHAOS_SUBSCRIPTIONS, DEFAULT_WAVE, seedWave, TriggerFirer, type ChaosRecord, type WaveSize } from './scenario.js';
import { firePass } from './schedule.js';
import { ServeProcess } from './serve-process.js';
import { settle } from './settle.js';
import { openStoreReader, type StoreReader } from './store-reader.js';
import { heygenTallies, hubspotTallies, webhookAnswers, type ChaosTallies } from './tallies.js';
import { startKiller, startStorms, type Background, type Range } from './turbulence.js';
import { newLedgerEntries, verify, type Problem, type Verdict } from './verify.js';

export interface ChaosOptions {
  seed: number;
  /** Default sqlite (a fresh file); postgres needs the server the integration tests use. */
  database?: 'sqlite' | 'postgres';
  /** HeyGen API Reelay uses (default v3). */
  heygenApi?: 'v3' | 'v2';
  /** Waves of new records in the first pass (ignored when `durationMs` is set). */
  waves: number;
  /** Soak: keep making waves until this long after the start. */
  durationMs?: number;
  waveSize?: WaveSize;
  waveEveryMs: Range;
  /** At least this many SIGKILLs in the first pass... */
  minKills: number;
  /** ...and this many more in the second. */
  secondPassKills: number;
  /** Time from `serve` being ready to the next SIGKILL. */
  killEveryMs: Range;
  settleTimeoutMs: number;
  progress?: (line: string) => void;
  /** Keep the run's directory (database, config, serve's log) even when it passed. */
  keepFiles?: boolean;
}

export interface ChaosResult {
  tallies: ChaosTallies;
  /** Empty when the run passed; each problem followed by the timelines of its renders. */
  problems: string[];
  /** The run's directory when kept (always kept when there are problems): database (or its URL in reelay.db.url), serve.log, hubspot-deliveries.json. */
  dir: string | null;
}

/** Timelines printed per run at most: enough to diagnose, not a flood. */
const TIMELINES_SHOWN = 12;

interface Run {
  opts: ChaosOptions;
  sandbox: Sandbox;
  serve: ServeProcess;
  reader: StoreReader;
  firer: TriggerFirer;
  records: ChaosRecord[];
  waves: ChaosRecord[][];
  publicUrl: string;
  heygenApiKey: string;
  started: number;
  problems: Problem[];
  aimedKills: number;
}

export async function runChaos(opts: ChaosOptions): Promise<ChaosResult> {
  const started = Date.now();
  const say = opts.progress ?? (() => undefined);
  const secrets = testSecrets();
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const dialect = opts.database ?? 'sqlite';
  const api = opts.heygenApi ?? 'v3';
  const config = chaosReelayConfig({ dialect, api });
  const dir = mkdtempSync(join(tmpdir(), 'reelay-chaos-'));
  const configPath = join(dir, 'reelay.yaml');
  writeFileSync(configPath, config);

  let database: TestDatabase | null = null;
  let sandbox: Sandbox | null = null;
  let serve: ServeProcess | null = null;
  let reader: StoreReader | null = null;
  let keep = opts.keepFiles === true;
  try {
    database = dialect === 'postgres' ? await postgresDatabase() : null;
    const databaseUrl = database?.url ?? `sqlite:${join(dir, 'reelay.db')}`;
    sandbox = await startSandbox({
      secrets,
      seed: opts.seed,
      hubspotTarget: `${publicUrl}/webhooks/hubspot`,
      heygenTarget: `${publicUrl}/webhooks/heygen`,
      heygen: { renderMs: { min: 50, max: 250 }, concurrency: HEYGEN_CONCURRENCY, overflow: '429', callbackRetryDelaysMs: HEYGEN_CALLBACK_RETRY_DELAYS_MS },
      hubspot: { burst: 100, webhooks: HUBSPOT_WEBHOOKS },
    });
    await createCrmProperties(sandbox, secrets.hubspotAccessToken, config);
    sandbox.hubspot.webhooks.setSubscriptions(CHAOS_SUBSCRIPTIONS);
    serve = new ServeProcess({
      url: publicUrl,
      readyTimeoutMs: 60_000,
      logFile: join(dir, 'serve.log'),
      env: sandboxServiceEnv(sandbox, secrets, { port, databaseUrl, configPath, adminToken: secrets.adminToken, logLevel: 'warn' }),
    });
    await serve.start();
    reader = openStoreReader(databaseUrl);
    say(`chaos: seed ${opts.seed}, Reelay ${publicUrl} on ${dialect}, HeyGen ${api}, files in ${dir}`);
    sandbox.heygen.control.setFaults(HEYGEN_FAULTS);
    sandbox.hubspot.control.setFaults(HUBSPOT_FAULTS);

    const run: Run = {
      opts,
      sandbox,
      serve,
      reader,
      firer: new TriggerFirer(sandbox.hubspot),
      records: [],
      waves: [],
      publicUrl,
      heygenApiKey: secrets.heygenApiKey,
      started,
      problems: [],
      aimedKills: 0,
    };
    const first = await pass(run, 1);
    const firstPassTriggers = run.firer.count;
    const ledgerAfterFirst = sandbox.heygen.ledger();
    const second = await pass(run, 2);
    const added = newLedgerEntries(ledgerAfterFirst, sandbox.heygen.ledger());
    for (const entry of added) {
      run.problems.push({ text: `pass 2: the same triggers again made HeyGen accept a new create ${entry.video_id} (callback ${entry.callback_id?.slice(0, 15)}…, ${entry.status})`, renderIds: [] });
    }
    for (const exit of serve.unexpectedExits) run.problems.push({ text: exit, renderIds: [] });

    const problems = await describeProblems(run.problems, reader);
    keep ||= problems.length > 0;
    if (keep) writeFileSync(join(dir, 'hubspot-deliveries.json'), JSON.stringify(sandbox.hubspot.webhooks.log(), null, 1));
    if (keep && database) writeFileSync(join(dir, 'reelay.db.url'), `${database.url}\n`);
    const tallies = await collectTallies(run, first, second, { firstPassTriggers, newInSecondPass: added.length });
    return { tallies, problems, dir: keep ? dir : null };
  } finally {
    await serve?.close();
    await reader?.close();
    await sandbox?.close();
    if (!keep) {
      rmSync(dir, { recursive: true, force: true });
      await database?.drop();
    }
  }
}

/** One pass: fire (with kills and storms), settle, verify. */
async function pass(run: Run, number: 1 | 2): Promise<Verdict> {
  const { opts, sandbox, serve } = run;
  const say = opts.progress ?? (() => undefined);
  const random = seededRandom(opts.seed * 7 + number);
  const killTarget = serve.kills + (number === 1 ? opts.minKills : opts.secondPassKills);
  const aim = { rate: 0.5, counter: () => sandbox.heygen.stats().createsAccepted, patienceMs: 3_000 };
  const killer = startKiller(serve, seededRandom(opts.seed * 11 + number), opts.killEveryMs, aim, (kills, aimed) => {
    if (aimed) run.aimedKills += 1;
    say(`  SIGKILL #${kills}${aimed ? ' (just after a HeyGen create was accepted)' : ''} at ${elapsed(run)}`);
  });
  const storms = startStorms(sandbox, seededRandom(opts.seed * 13 + number), { min: 3_000, max: 8_000 }, { min: 800, max: 2_000 });
  const deadline = opts.durationMs === undefined ? undefined : run.started + opts.durationMs;
  const givenUpBefore = deliveriesGivenUp(sandbox);

  const nextWave =
    number === 2
      ? (wave: number) => run.waves[wave] ?? null
      : (wave: number) => {
          const more = deadline === undefined ? wave < opts.waves : Date.now() < deadline;
          if (!more) return null;
          const records = seedWave(sandbox.hubspot, random, wave, opts.waveSize ?? DEFAULT_WAVE, Date.now());
          run.records.push(...records);
          run.waves.push(records);
          return records;
        };
  const waveEveryMs = number === 1 ? opts.waveEveryMs : { min: opts.waveEveryMs.min / 2, max: opts.waveEveryMs.max / 2 };
  try {
    await firePass(run.firer, {
      nextWave,
      allRepeats: number === 2,
      random,
      waveEveryMs,
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
      onWave: async (wave, fired) => {
        if (!opts.progress) return;
        const counts = Object.entries(await run.reader.countsByState()).map(([state, n]) => `${state} ${n}`);
        say(`  pass ${number} wave ${wave} at ${elapsed(run)}: ${fired} triggers fired, ${serve.kills} kills; renders: ${counts.join(', ')}`);
      },
    });
    while (serve.kills < killTarget && killer.error() === undefined) await new Promise((r) => setTimeout(r, 100));
  } finally {
    await stopAll([killer, storms], run, number);
  }

  say(`  pass ${number}: all triggers fired at ${elapsed(run)}; settling`);
  const stuck = await settle({ sandbox, reader: run.reader, firer: run.firer, timeoutMs: opts.settleTimeoutMs });
  if (stuck) run.problems.push({ text: `pass ${number}: ${stuck}`, renderIds: [] });
  const givenUp = deliveriesGivenUp(sandbox) - givenUpBefore;
  if (givenUp > 0) {
    run.problems.push({ text: `pass ${number}: the sandbox gave up ${givenUp} webhook deliveries after every retry (see "answers"): Reelay may never have seen some triggers`, renderIds: [] });
  }
  say(`  pass ${number}: settled at ${elapsed(run)}`);

  const ledger = sandbox.heygen.ledger();
  const failures = await fetchHeyGenFailures(sandbox, run.heygenApiKey, ledger.filter((e) => e.status === 'failed').map((e) => e.video_id));
  const verdict = verify({
    records: run.records,
    crm: sandbox.hubspot.crm,
    ledger,
    renders: await run.reader.renders(),
    failures,
    publicUrl: run.publicUrl,
    pendingWrites: (await run.reader.pendingWork()).writes,
  });
  run.problems.push(...verdict.problems.map((p) => ({ ...p, text: `pass ${number}: ${p.text}` })));
  return verdict;
}

async function stopAll(loops: Background[], run: Run, number: number): Promise<void> {
  await Promise.all(loops.map((l) => l.stop()));
  for (const loop of loops) {
    const err = loop.error();
    if (err !== undefined) run.problems.push({ text: `pass ${number}: ${err instanceof Error ? err.message : String(err)}`, renderIds: [] });
  }
  // A loop that died with `serve` down leaves nothing to verify against.
  if (!run.serve.running) await run.serve.start();
}

async function createCrmProperties(sandbox: Sandbox, accessToken: string, config: string): Promise<void> {
  const client = createHubSpotClient({ baseUrl: sandbox.hubspot.url, accessToken, timeoutMs: 5_000 });
  await ensureCrmProperties(client, parseConfig(config, {}, 'chaos config'), { create: true });
}

/** Each problem, then (for the first few) the timeline of the renders it concerns. */
async function describeProblems(problems: Problem[], reader: StoreReader): Promise<string[]> {
  const lines: string[] = [];
  let shown = 0;
  for (const problem of problems) {
    lines.push(problem.text);
    for (const id of problem.renderIds) {
      if (shown >= TIMELINES_SHOWN) break;
      shown += 1;
      for (const step of await reader.timeline(id)) {
        const at = new Date(step.at).toISOString().slice(11, 23);
        lines.push(`    #${id} ${at} ${step.from_state ?? '-'} -> ${step.to_state}: ${step.note}`);
      }
    }
  }
  return lines;
}

async function collectTallies(
  run: Run,
  first: Verdict,
  second: Verdict,
  counts: { firstPassTriggers: number; newInSecondPass: number },
): Promise<ChaosTallies> {
  const { sandbox, serve, records } = run;
  const hub = sandbox.hubspot.stats();
  const ledger = sandbox.heygen.ledger();
  const fit = (campaign: string) => records.filter((r) => r.fit && r.campaign === campaign).length;
  return {
    seed: run.opts.seed,
    elapsedMs: Date.now() - run.started,
    records: { 'bdr-intro': fit('bdr-intro'), onboarding: fit('onboarding'), renewal: fit('renewal'), unfit: records.filter((r) => !r.fit).length },
    triggers: { first: counts.firstPassTriggers, second: run.firer.count - counts.firstPassTriggers },
    deliveries: {
      subscriptionEvents: hub.webhooks.subscription.events,
      duplicatesInjected: hub.webhooks.subscription.duplicatesInjected,
      subscriptionAttempts: hub.webhooks.subscription.attempts,
      workflowSent: hub.webhooks.workflow.sent,
      workflowAttempts: hub.webhooks.workflow.attempts,
      givenUp: deliveriesGivenUp(sandbox),
      answers: webhookAnswers(sandbox.hubspot.webhooks.log()),
    },
    kills: serve.kills,
    aimedKills: run.aimedKills,
    starts: serve.starts,
    rendersByState: await run.reader.countsByState(),
    outcomes: second.outcomes,
    ledger: {
      entries: ledger.length,
      billed: ledger.filter((e) => e.billed).length,
      duplicateKeysBilled: Math.max(first.duplicateBilling.keys, second.duplicateBilling.keys),
      recordsBilledTwice: Math.max(first.duplicateBilling.records, second.duplicateBilling.records),
      newInSecondPass: counts.newInSecondPass,
    },
    heygen: heygenTallies(sandbox.heygen.stats()),
    hubspot: hubspotTallies(hub),
  };
}

function deliveriesGivenUp(sandbox: Sandbox): number {
  const { subscription, workflow } = sandbox.hubspot.stats().webhooks;
  return subscription.failed + workflow.failed;
}

function elapsed(run: Run): string {
  return `${((Date.now() - run.started) / 1000).toFixed(1)} s`;
}
