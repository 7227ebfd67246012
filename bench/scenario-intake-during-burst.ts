/**
 * Scenario 5, intake during a burst: signed single-event deliveries at a
 * fixed 1,000 requests/s while the workers of the same `serve` drain a burst
 * (`--contacts` qualified at once, the burst scenario's stack). What it
 * measures is how much the workers' database work and provider calls delay
 * the answers to HubSpot. The bare Fastify route at the same rate, in the
 * same run, is the reference.
 */
import type { LoadResult } from './load.js';
import { runOpenLoop } from './open-loop.js';
import { reproduceCommand, type BenchOptions } from './options.js';
import { atMost, fixed, printTable, progress, type Figure } from './report.js';
import { seedQualifiableContacts, startBurstStack, triggerBurst } from './scenario-burst.js';
import { bareRouteEvents, FIXED_RATE, WARMUP_SECONDS, PATH, poolEvents, startBareServer, storedEvents } from './scenario-intake.js';

/** How long to wait for the workers to be under way before the load starts. */
const UNDER_WAY_TIMEOUT_MS = 120_000;

export async function runIntakeDuringBurst(o: BenchOptions): Promise<void> {
  const bare = await startBareServer();
  let bareFixed: LoadResult;
  try {
    progress(`intake during a burst: bare Fastify route at ${FIXED_RATE} req/s, ${o.seconds} s`);
    bareFixed = await runOpenLoop({ baseUrl: bare.url, path: PATH, seconds: o.seconds, rate: FIXED_RATE, warmupSeconds: WARMUP_SECONDS, next: bareRouteEvents(o, bare.url) });
  } finally {
    await bare.stop();
  }

  const stack = await startBurstStack(o);
  try {
    const ids = seedQualifiableContacts(stack, o);
    // Contacts of their own for the single events (another seed: other names and emails than the burst's).
    const events = poolEvents(stack, o.seed + 1);
    triggerBurst(stack, ids);
    progress(`intake during a burst: ${fixed(o.contacts)} contacts qualified; waiting for the workers to start rendering`);
    await underWay(() => stack.sandbox.heygen.stats().createsAccepted > 0);
    const before = { stored: await storedEvents(stack.database.url), created: stack.sandbox.heygen.stats().createsAccepted, hubspot: stack.sandbox.hubspot.stats().totalRequests };
    progress(`intake during a burst: Reelay at ${FIXED_RATE} req/s, ${o.seconds} s, while the workers drain`);
    const load = await runOpenLoop({ baseUrl: stack.url, path: PATH, seconds: o.seconds, rate: FIXED_RATE, warmupSeconds: WARMUP_SECONDS, next: () => events.next() });
    const created = stack.sandbox.heygen.stats().createsAccepted - before.created;
    const hubspotCalls = stack.sandbox.hubspot.stats().totalRequests - before.hubspot;
    // The burst's own events also land during the run: count only what the load's 2xx must be backed by.
    const stored = (await storedEvents(stack.database.url)) - before.stored;
    const memory = stack.reelay.memory();
    const workerMemory = o.intakeRole === 'split' ? stack.others[0]?.memory() : undefined;

    const figures: Figure[] = [
      { name: `p99 of 2xx at ${fixed(FIXED_RATE)} req/s, ms (Reelay)`, value: fixed(load.p99), target: '<= 25', verdict: atMost(load.p99, 25) },
      { name: '  p99 of 2xx, ms (bare route)', value: fixed(bareFixed.p99) },
      { name: '  p50 of 2xx, ms (Reelay | bare)', value: `${fixed(load.p50)} | ${fixed(bareFixed.p50)}` },
      { name: '  max of 2xx, ms (Reelay | bare)', value: `${fixed(load.max)} | ${fixed(bareFixed.max)}` },
      { name: '  2xx/s achieved (Reelay | bare)', value: `${fixed(load.okPerSecond)} | ${fixed(bareFixed.okPerSecond)}` },
      { name: '  failed requests (Reelay | bare)', value: `${fixed(load.failed)} | ${fixed(bareFixed.failed)}`, target: '0', verdict: atMost(load.failed, 0) },
      { name: 'workers during the run: renders started', value: fixed(created) },
      { name: '  HubSpot calls', value: fixed(hubspotCalls) },
      { name: '2xx answers without a stored event', value: fixed(Math.max(0, load.ok - stored)), target: '0', verdict: atMost(Math.max(0, load.ok - stored), 0) },
      ...(memory ? [{ name: `peak RSS of Reelay${workerMemory ? ' (web | worker)' : ''} (VmHWM)`, value: `${fixed(memory.peak / (1024 * 1024))}${workerMemory ? ` | ${fixed(workerMemory.peak / (1024 * 1024))}` : ''} MB` }] : []),
    ];
    printTable(`Scenario 5: intake at ${fixed(FIXED_RATE)} req/s while the workers drain a burst of ${fixed(o.contacts)}, ${o.seconds} s`, {
      notes: [
        `Reelay: ${o.intakeRole === 'split' ? '`reelay serve --role web` (intake) and `--role worker`, two child processes on one database' : '`reelay serve` (intake and workers) in a child process'}, ${o.dialect}; the burst scenario's stack (HubSpot Starter limits, HeyGen ${o.concurrency} at once x ${o.renderMs} ms).`,
        `The load starts once the first render reached HeyGen (the burst's events are stored and the workers are enriching and submitting).`,
        `Each request is a distinct signed v3 subscription event about one of its own pool of contacts, sent open loop (one due every ${fixed(1000 / FIXED_RATE)} ms, from a thread of`,
        `the benchmark process); latency of 2xx answers from each request's due time, after ${WARMUP_SECONDS} s of warm-up at the same rate.`,
        `Bare route: Fastify in a child process answering 204 on the same path, at the same rate, in the same run.`,
      ],
      figures,
      command: reproduceCommand('intake-during-burst', o),
    });
  } finally {
    await stack.stop();
  }
}

async function underWay(done: () => boolean): Promise<void> {
  const deadline = Date.now() + UNDER_WAY_TIMEOUT_MS;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`the workers started no render within ${UNDER_WAY_TIMEOUT_MS / 1000} s of the burst`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
