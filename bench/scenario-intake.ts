/**
 * Scenario 2, intake: signed single-event deliveries from a load generator,
 * as fast as answers come and then at a fixed 1,000 requests/s. Reelay's
 * figures stand beside a bare Fastify route answering 204 without work,
 * measured in the same run on the same machine.
 *
 * Each Reelay run gets a fresh stack (database, sandbox, process), so one
 * run's backlog of renders does not weigh on the next; within a run the
 * workers are on, as in `reelay serve`, and start working through what
 * arrives (at the HubSpot and HeyGen pace).
 */
import { seededRandom } from '../src/core/clock.js';
import { seedContacts } from '../src/sandbox/hubspot/seed.js';
import { openStore } from '../src/store/db.js';
import { freePort } from '../test/helpers/harness.js';
import { startChildService } from './child-service.js';
import { runLoad, type LoadResult } from './load.js';
import { runOpenLoop } from './open-loop.js';
import { reproduceCommand, type BenchOptions } from './options.js';
import { atLeast, atMost, fixed, printTable, progress, type Figure } from './report.js';
import { SignedEventSource } from './signed-events.js';
import { startStack, type Stack } from './stack.js';

export const PATH = '/webhooks/hubspot';
const MAX_CONNECTIONS = 64;
export const FIXED_RATE = 1_000;
/** Seconds of the fixed-rate load sent before the measured ones (`open-loop.ts`). */
export const WARMUP_SECONDS = 2;
export const POOL = 1_000;
export const PORTAL_ID = 62515;

interface ReelayRun {
  load: LoadResult;
  stored: number;
}

const roleText = {
  all: '`reelay serve --role all` (intake and workers, as deployed) in a child process',
  web: '`reelay serve --role web` (intake alone, no workers) in a child process',
  split: '`reelay serve --role web` receiving, `--role worker` working, two child processes on one database',
} as const;

export async function runIntake(o: BenchOptions): Promise<void> {
  const bare = await startBareServer();
  let bareMax: LoadResult;
  let bareFixed: LoadResult;
  let reelayMax: ReelayRun;
  let reelayFixed: ReelayRun;
  try {
    progress(`intake: bare Fastify route, as fast as it answers, ${o.seconds} s`);
    bareMax = await runLoad({ baseUrl: bare.url, path: PATH, seconds: o.seconds, connections: MAX_CONNECTIONS, next: bareRouteEvents(o, bare.url) });
    progress(`intake: Reelay, as fast as it answers, ${o.seconds} s`);
    reelayMax = await reelayRun(o, { connections: MAX_CONNECTIONS });
    progress(`intake: bare Fastify route at ${FIXED_RATE} req/s, ${o.seconds} s`);
    bareFixed = await runOpenLoop({ baseUrl: bare.url, path: PATH, seconds: o.seconds, rate: FIXED_RATE, warmupSeconds: WARMUP_SECONDS, next: bareRouteEvents(o, bare.url) });
    progress(`intake: Reelay at ${FIXED_RATE} req/s, ${o.seconds} s`);
    reelayFixed = await reelayRun(o, { rate: FIXED_RATE });
  } finally {
    await bare.stop();
  }

  const durablePerSecond = reelayMax.stored / reelayMax.load.seconds;
  const unbacked = Math.max(0, reelayMax.load.ok - reelayMax.stored) + Math.max(0, reelayFixed.load.ok - reelayFixed.stored);
  const figures: Figure[] = [
    { name: 'max load: durable events/s (Reelay)', value: fixed(durablePerSecond), target: '>= 10,000', verdict: atLeast(durablePerSecond, 10_000) },
    { name: '  as a share of the bare route\'s 2xx/s', value: `${fixed((100 * durablePerSecond) / bareMax.okPerSecond)} %`, target: '>= 22 %', verdict: atLeast(durablePerSecond / bareMax.okPerSecond, 0.22) },
    { name: '  2xx/s (Reelay | bare route)', value: `${fixed(reelayMax.load.okPerSecond)} | ${fixed(bareMax.okPerSecond)}` },
    { name: '  p50 of 2xx, ms (Reelay | bare)', value: `${fixed(reelayMax.load.p50)} | ${fixed(bareMax.p50)}` },
    { name: '  p99 of 2xx, ms (Reelay | bare)', value: `${fixed(reelayMax.load.p99)} | ${fixed(bareMax.p99)}` },
    { name: '  failed requests (Reelay | bare)', value: `${fixed(reelayMax.load.failed)} | ${fixed(bareMax.failed)}`, target: '0', verdict: atMost(reelayMax.load.failed, 0) },
    { name: `at ${fixed(FIXED_RATE)} req/s: p99 of 2xx, ms (Reelay)`, value: fixed(reelayFixed.load.p99), target: '<= 25', verdict: atMost(reelayFixed.load.p99, 25) },
    { name: '  p99 of 2xx, ms (bare route)', value: fixed(bareFixed.p99) },
    { name: '  p50 of 2xx, ms (Reelay | bare)', value: `${fixed(reelayFixed.load.p50)} | ${fixed(bareFixed.p50)}` },
    { name: '  max of 2xx, ms (Reelay | bare)', value: `${fixed(reelayFixed.load.max)} | ${fixed(bareFixed.max)}` },
    { name: '  2xx/s achieved (Reelay | bare)', value: `${fixed(reelayFixed.load.okPerSecond)} | ${fixed(bareFixed.okPerSecond)}` },
    { name: '  failed requests (Reelay | bare)', value: `${fixed(reelayFixed.load.failed)} | ${fixed(bareFixed.failed)}`, target: '0', verdict: atMost(reelayFixed.load.failed, 0) },
    { name: '2xx answers without a stored event', value: fixed(unbacked), target: '0', verdict: atMost(unbacked, 0) },
  ];
  printTable(`Scenario 2: intake of signed single-event deliveries, ${o.seconds} s per run`, {
    notes: [
      `Reelay: ${roleText[o.intakeRole]}, ${o.dialect}, a fresh stack per run; every request is a distinct`,
      `subscription event (own eventId, about one of ${fixed(POOL)} seeded contacts), signed v3 with the current time, so each 2xx is new durable work.`,
      `Bare route: Fastify in a child process answering 204 on the same path without verifying or storing anything.`,
      `Load at full speed: autocannon in the benchmark process (sharing the machine's cores with the service), ${MAX_CONNECTIONS} connections, closed loop.`,
      `Load at ${fixed(FIXED_RATE)} req/s: open loop on a thread of the benchmark process, one request due every ${fixed(1000 / FIXED_RATE)} ms whatever the answers do;`,
      `latency of 2xx answers from each request's due time (so a stall is charged to every request due during it), after ${WARMUP_SECONDS} s of warm-up at the same rate.`,
      `Durable events/s: events found in Reelay's database after the run, divided by the run's length.`,
    ],
    figures,
    command: reproduceCommand('intake', o),
  });
}

/** Closed loop at full speed (`connections`), or open loop at a fixed `rate`. */
async function reelayRun(o: BenchOptions, shape: { connections: number } | { rate: number }): Promise<ReelayRun> {
  const stack = await startStack({ bench: o, heygenConcurrency: 3, hubspotBurst: 100, role: o.intakeRole });
  try {
    const events = poolEvents(stack, o.seed);
    const before = await storedEvents(stack.database.url);
    const run = { baseUrl: stack.url, path: PATH, seconds: o.seconds, next: () => events.next() };
    const load = 'rate' in shape ? await runOpenLoop({ ...run, rate: shape.rate, warmupSeconds: WARMUP_SECONDS }) : await runLoad({ ...run, connections: shape.connections });
    const stored = (await storedEvents(stack.database.url)) - before;
    return { load, stored };
  } finally {
    await stack.stop();
  }
}

/** A pool of contacts in the sandbox CRM, and signed single-event deliveries about them (a distinct event each). */
export function poolEvents(stack: Stack, seed: number): SignedEventSource {
  const pool = stack.sandbox.hubspot.crm.createMany('contacts', seedContacts(POOL, seededRandom(seed), { lifecyclestage: 'lead' })).map((r) => r.id);
  return new SignedEventSource({
    url: `${stack.url}${PATH}`,
    clientSecret: stack.secrets.hubspotClientSecret,
    portalId: PORTAL_ID,
    objectIds: pool,
    firstEventId: firstEventId(seed),
  });
}

/** The bare route verifies nothing, but gets bodies of the same size and shape. */
export function bareRouteEvents(o: BenchOptions, url: string): () => { body: string; headers: Record<string, string> } {
  const source = new SignedEventSource({
    url: `${url}${PATH}`,
    clientSecret: 'bare-route-verifies-nothing',
    portalId: PORTAL_ID,
    objectIds: Array.from({ length: POOL }, (_, i) => String(1001 + i)),
    firstEventId: firstEventId(o.seed),
  });
  return () => source.next();
}

export async function startBareServer() {
  const port = await freePort();
  return startChildService({ entry: 'bin/run-ts.mjs', args: ['bench/bare-server.ts'], env: { PORT: String(port) }, url: `http://127.0.0.1:${port}` });
}

export async function storedEvents(databaseUrl: string): Promise<number> {
  const store = openStore(databaseUrl, { poolSize: 1 });
  try {
    const row = await store.db.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  } finally {
    await store.close();
  }
}

export function firstEventId(seed: number): number {
  return 100_000_000 + Math.floor(seededRandom(seed)() * 100_000_000);
}
