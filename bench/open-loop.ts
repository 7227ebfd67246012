/**
 * An open-loop load at a fixed rate: request `i` is due at `start + i /
 * rate` and is sent then, whatever the answers to earlier ones are doing,
 * and its latency is measured from that due time. A server that stalls for
 * 100 ms is charged for every request due during the stall, as a webhook
 * sender with its own schedule would see it.
 *
 * autocannon's `overallRate` is not this: each connection sends its quota
 * for the second back to back when the second starts and then idles, and
 * its correction for coordinated omission assumes one request per
 * millisecond per connection, so any answer slower than 1 ms adds made-up
 * samples to the tail. The maximum-throughput runs still use autocannon
 * (`load.ts`), where closed-loop is what is meant.
 *
 * A warm-up comes first: `warmupSeconds` more at the same rate, answered
 * and counted as 2xx like the rest but left out of the latency figures, so
 * what is measured is a warm process (its code compiled, its caches
 * filled), as a service is after its first seconds. Both the bare route and
 * Reelay get the same warm-up.
 *
 * The sender runs on a thread of its own, so the benchmark's in-process
 * sandbox (HubSpot reads, HeyGen callbacks) cannot delay a due request and
 * have Reelay blamed for it. Every delivery is built (and signed) before
 * the run starts; a signature stays valid for five minutes.
 */
import { Worker } from 'node:worker_threads';
import type { LoadResult } from './load.js';
import { percentile } from './report.js';
import type { SignedDelivery } from './signed-events.js';

export interface OpenLoopRun {
  baseUrl: string;
  path: string;
  seconds: number;
  /** Requests per second, evenly spaced. */
  rate: number;
  /** Seconds at the same rate before the measured `seconds`, left out of the latency figures. */
  warmupSeconds: number;
  /** Builds each request's body and headers. */
  next(): SignedDelivery;
}

interface ThreadResult {
  /** ms from each request's due time to its answer; NaN for a connection error. */
  latencies: Float64Array;
  statuses: Int32Array;
}

/** Plain CommonJS given as source (`eval`), so the thread needs no TypeScript loader. */
const THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const { host, port, path, rate, deliveries } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
const latencies = new Float64Array(deliveries.length);
const statuses = new Int32Array(deliveries.length);
// A failed request may report twice (its response and the request both emit 'error'): count it once.
const done = new Uint8Array(deliveries.length);
let answered = 0;
const start = performance.now() + 50;
let next = 0;

function finish(i, status) {
  if (done[i]) return;
  done[i] = 1;
  statuses[i] = status;
  latencies[i] = status === 0 ? NaN : performance.now() - (start + (i * 1000) / rate);
  answered += 1;
  if (answered === deliveries.length) {
    agent.destroy();
    parentPort.postMessage({ latencies, statuses });
  }
}

function send(i) {
  const { body, headers } = deliveries[i];
  const req = http.request({ host, port, path, method: 'POST', headers: { ...headers, 'content-length': Buffer.byteLength(body) }, agent }, (res) => {
    res.resume();
    res.on('end', () => finish(i, res.statusCode));
    res.on('error', () => finish(i, 0));
  });
  req.on('error', () => finish(i, 0));
  req.setTimeout(10000, () => req.destroy());
  req.end(body);
}

function tick() {
  const now = performance.now();
  while (next < deliveries.length && start + (next * 1000) / rate <= now) send(next++);
  if (next < deliveries.length) setTimeout(tick, 1);
}
setTimeout(tick, 50);
`;

export async function runOpenLoop(run: OpenLoopRun): Promise<LoadResult> {
  const url = new URL(run.baseUrl);
  const warmup = Math.round(run.rate * run.warmupSeconds);
  const deliveries = Array.from({ length: warmup + Math.round(run.rate * run.seconds) }, () => run.next());
  const worker = new Worker(THREAD_SOURCE, {
    eval: true,
    workerData: { host: url.hostname, port: Number(url.port), path: run.path, rate: run.rate, deliveries },
  });
  const result = await new Promise<ThreadResult>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the load thread exited (${code}) before it finished`)));
  });
  await worker.terminate();

  // Latency and rate of the measured part; `ok` and `failed` count every request, warm-up included, so
  // a 2xx without a stored event is caught wherever it happened.
  const measured: number[] = [];
  let ok = 0;
  let failed = 0;
  result.statuses.forEach((status, i) => {
    if (status < 200 || status >= 300) failed += 1;
    else {
      ok += 1;
      if (i >= warmup) measured.push(result.latencies[i] as number);
    }
  });
  measured.sort((a, b) => a - b);
  return {
    seconds: run.seconds,
    ok,
    failed,
    okPerSecond: measured.length / run.seconds,
    p50: percentile(measured, 50),
    p99: percentile(measured, 99),
    max: measured[measured.length - 1] ?? 0,
  };
}
