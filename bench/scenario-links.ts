/**
 * Scenario 4, stable links and the video page's engagement.
 *
 * Part 1: one finished video's `/v/` link clicked `--clicks` times (20 at
 * once) through `reelay serve`, with the HeyGen sandbox hiding each URL's
 * expiry (CloudFront custom-policy URLs), the case where Reelay must fall
 * back to HeyGen's documented 7 days. Counts the HeyGen status calls.
 *
 * Part 2: page views (GET with `Accept: text/html`) and player events
 * (`POST /v/:token/events`), half and half, at a fixed 1,000 requests/s for
 * `--seconds`, spread over enough videos that no link passes its 60 events a
 * minute. The same load against a bare Fastify route (no work) in the same
 * run is the reference. Afterwards: HeyGen calls per video, CRM writes per
 * record per `links.flushEvery` (the sandbox's write counters, sampled every
 * 100 ms), and lost events (every event answered 204 must be in the CRM's
 * totals once the writes have gone out).
 */
import { Agent, request } from 'node:http';
import { freePort } from '../test/helpers/harness.js';
import { startChildService } from './child-service.js';
import { reproduceCommand, type BenchOptions } from './options.js';
import { atMost, fixed, percentile, printTable, progress, type Figure } from './report.js';
import { startStack, TRIGGER } from './stack.js';

const PARALLEL = 20;
const RATE = 1_000;
const FLUSH_SECONDS = 5;
/** Events per video in part 2, below the 60 a minute a link may send. */
const EVENTS_PER_VIDEO = 50;
const SAMPLE_MS = 100;
/** The order in which each video's events come: a viewer playing, watching on, clicking. */
const EVENT_CYCLE = [
  { type: 'play', percent: 0 },
  { type: 'progress', percent: 25 },
  { type: 'progress', percent: 50 },
  { type: 'progress', percent: 75 },
  { type: 'complete', percent: 100 },
  { type: 'cta', percent: 100 },
] as const;

interface Tally {
  plays: number;
  ctaClicks: number;
  maxPercent: number;
}

interface OpenLoopResult {
  /** Per request kind: latencies (ms, from the scheduled send time). */
  latencies: { page: number[]; event: number[] };
  statuses: Record<string, number>;
  errors: number;
}

export async function runLinks(o: BenchOptions): Promise<void> {
  const totalEvents = (RATE / 2) * o.seconds;
  const videos = Math.max(1, Math.ceil(totalEvents / EVENTS_PER_VIDEO));
  const stack = await startStack({
    bench: o,
    heygenConcurrency: 50,
    hubspotBurst: 100,
    extraConfig: `links:\n  flushEvery: ${FLUSH_SECONDS}s\n`,
    sandbox: { heygen: { renderMs: { min: 50, max: 50 }, urlExpiry: 'policy', concurrency: 50 } },
  });
  const clickLatencies: number[] = [];
  let clickCalls = 0;
  let reelay: OpenLoopResult;
  let bare: OpenLoopResult;
  let loadCalls = 0;
  const tallies = new Map<string, Tally>();
  const writeTimes = new Map<string, number[]>();
  let crm: Map<string, Record<string, string | null | undefined>>;
  const contactOf = new Map<string, string>();
  try {
    const sandboxCrm = stack.sandbox.hubspot.crm;
    progress(`links: rendering ${videos} videos`);
    const ids = sandboxCrm
      .createMany('contacts', Array.from({ length: videos }, (_, i) => ({ properties: { firstname: `View${i}`, company: 'Links Bench', [TRIGGER.property]: 'lead' } })))
      .map((r) => r.id);
    stack.sandbox.hubspot.webhooks.setSubscriptions([{ subscriptionType: 'contact.propertyChange', propertyName: TRIGGER.property }]);
    sandboxCrm.updateMany('contacts', ids.map((id) => ({ id, properties: { [TRIGGER.property]: TRIGGER.value } })));
    const links = await until(() => {
      const found = ids.map((id) => {
        const props = sandboxCrm.get('contacts', id)?.properties;
        return props?.heygen_render_status === 'COMPLETED' ? props.heygen_video_url : undefined;
      });
      return found.every((l) => typeof l === 'string') ? (found as string[]) : undefined;
    }, 300_000);
    const tokens = links.map((link, i) => {
      const token = link.split('/v/')[1] as string;
      contactOf.set(token, ids[i] as string);
      tallies.set(token, { plays: 0, ctaClicks: 0, maxPercent: 0 });
      return token;
    });

    // Part 1: one link clicked --clicks times.
    const link = links[0] as string;
    let before = stack.sandbox.heygen.stats().statusCalls;
    for (let done = 0; done < o.clicks; done += PARALLEL) {
      await Promise.all(
        Array.from({ length: Math.min(PARALLEL, o.clicks - done) }, async () => {
          const started = performance.now();
          const answer = await fetch(link, { redirect: 'manual' });
          await answer.arrayBuffer();
          clickLatencies.push(performance.now() - started);
          if (answer.status !== 302) throw new Error(`click answered ${answer.status}`);
        }),
      );
      if ((done + PARALLEL) % 500 === 0) progress(`links: ${done + PARALLEL}/${o.clicks} clicks`);
    }
    clickCalls = stack.sandbox.heygen.stats().statusCalls - before;

    // Part 2: page views and events at a fixed rate, first against the bare route.
    const barePort = await freePort();
    const bareServer = await startChildService({ entry: 'bin/run-ts.mjs', args: ['bench/bare-server.ts'], env: { PORT: String(barePort) }, url: `http://127.0.0.1:${barePort}` });
    try {
      progress(`links: bare Fastify routes, ${fixed(RATE)} req/s for ${o.seconds} s`);
      bare = await openLoop(RATE, o.seconds, (i) => fire(bareServer.url, tokens, i, null));
    } finally {
      await bareServer.stop();
    }
    stack.sandbox.hubspot.control.resetStats();
    before = stack.sandbox.heygen.stats().statusCalls;
    const seen = new Map<string, number>();
    const sampler = setInterval(() => sampleWrites(stack.sandbox.hubspot.stats().writes.byObject, seen, writeTimes), SAMPLE_MS);
    try {
      progress(`links: Reelay, ${fixed(RATE)} req/s for ${o.seconds} s over ${videos} videos`);
      reelay = await openLoop(RATE, o.seconds, (i) => fire(stack.url, tokens, i, tallies));
      loadCalls = stack.sandbox.heygen.stats().statusCalls - before;
      progress('links: waiting for the engagement writes');
      const plays = () => ids.filter((id, i) => sandboxCrm.get('contacts', id)?.properties.heygen_video_plays === String(tallies.get(tokens[i] as string)?.plays ?? 0)).length;
      await until(() => (plays() === ids.length ? true : undefined), FLUSH_SECONDS * 4_000 + 60_000).catch(() => undefined);
      // One more flush period, so a write that should not happen would show.
      await new Promise((r) => setTimeout(r, FLUSH_SECONDS * 1_000 + 1_000));
    } finally {
      clearInterval(sampler);
      sampleWrites(stack.sandbox.hubspot.stats().writes.byObject, seen, writeTimes);
    }
    crm = new Map(ids.map((id) => [id, sandboxCrm.get('contacts', id)?.properties ?? {}]));
  } finally {
    await stack.stop();
  }

  let lost = 0;
  let extra = 0;
  for (const [token, tally] of tallies) {
    const props = crm.get(contactOf.get(token) as string) ?? {};
    for (const [sent, written] of [
      [tally.plays, Number(props.heygen_video_plays ?? 0)],
      [tally.ctaClicks, Number(props.heygen_video_cta_clicks ?? 0)],
    ] as const) {
      lost += Math.max(0, sent - written);
      extra += Math.max(0, written - sent);
    }
    if (Number(props.heygen_video_watch_percent ?? 0) < tally.maxPercent) lost += 1;
  }
  const accepted = reelay.statuses['204'] ?? 0;
  // Writes closer together than flushEvery, allowing for the sampling interval.
  const window = FLUSH_SECONDS * 1_000 - 2 * SAMPLE_MS;
  const perFlush = Math.max(0, ...[...writeTimes.values()].map((times) => mostInWindow(times, window)));
  const all = (r: OpenLoopResult) => [...r.latencies.page, ...r.latencies.event].sort((a, b) => a - b);
  const reelayAll = all(reelay);
  const bareAll = all(bare);
  const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
  const p99 = percentile(reelayAll, 99);
  const clicks = sorted(clickLatencies);
  const perThousand = (clickCalls * 1000) / o.clicks;
  const perVideo = loadCalls / tallies.size;
  const figures: Figure[] = [
    { name: 'part 1: HeyGen status calls per 1,000 clicks', value: fixed(perThousand, 1), target: '<= 1 per URL lifetime', verdict: atMost(perThousand, 1) },
    { name: '  p50 | p90 | max redirect, ms', value: `${fixed(percentile(clicks, 50), 1)} | ${fixed(percentile(clicks, 90), 1)} | ${fixed(clicks.at(-1) ?? 0, 1)}` },
    { name: `part 2 at ${fixed(RATE)} req/s: p99, ms (Reelay)`, value: fixed(p99, 1), target: '<= 20', verdict: atMost(p99, 20) },
    { name: '  p99, ms (bare routes, same run)', value: fixed(percentile(bareAll, 99), 1) },
    { name: '  answers (bare routes)', value: Object.entries(bare.statuses).map(([s, n]) => `${s}: ${fixed(n)}`).join(', ') + (bare.errors ? `, errors: ${bare.errors}` : '') },
    { name: '  p50 | p99 page view, ms (Reelay)', value: `${fixed(percentile(sorted(reelay.latencies.page), 50), 1)} | ${fixed(percentile(sorted(reelay.latencies.page), 99), 1)}` },
    { name: '  p50 | p99 event, ms (Reelay)', value: `${fixed(percentile(sorted(reelay.latencies.event), 50), 1)} | ${fixed(percentile(sorted(reelay.latencies.event), 99), 1)}` },
    { name: '  answers (Reelay)', value: Object.entries(reelay.statuses).map(([s, n]) => `${s}: ${fixed(n)}`).join(', ') + (reelay.errors ? `, errors: ${reelay.errors}` : '') },
    { name: '  HeyGen calls per video during the load', value: fixed(perVideo, 2), target: '<= 1 per URL lifetime', verdict: atMost(perVideo, 1) },
    { name: `  CRM writes per record per flushEvery (${FLUSH_SECONDS} s), most`, value: fixed(perFlush), target: '<= 1', verdict: atMost(perFlush, 1) },
    { name: '  CRM engagement writes, total', value: fixed([...writeTimes.values()].reduce((n, t) => n + t.length, 0)) },
    { name: '  lost events (204 but not in the CRM totals)', value: fixed(lost), target: '0', verdict: atMost(lost, 0) },
    { name: '  counted twice', value: fixed(extra), target: '0', verdict: atMost(extra, 0) },
    { name: '  events answered 204', value: fixed(accepted) },
  ];
  printTable('Scenario 4: stable links, page views and engagement', {
    notes: [
      `Reelay: \`reelay serve\` in a child process, ${o.dialect}, links.flushEvery ${FLUSH_SECONDS}s. ${tallies.size} completed videos (HeyGen URL expiry hidden).`,
      `Part 1: one /v/ link clicked ${o.clicks} times, ${PARALLEL} at once.`,
      `Part 2: ${fixed(RATE)} req/s for ${o.seconds} s, open loop (latency from each request's scheduled time), half page views`,
      `(GET, Accept: text/html), half player events (${EVENTS_PER_VIDEO} per video: play, progress 25/50/75, complete, cta in turn).`,
      'Bare routes: Fastify in a child process answering the same paths (302 / 204) without work. Load from the benchmark process.',
    ],
    figures,
    command: reproduceCommand('links', o),
  });
}

/** Keep-alive connections of the load generator (plain node:http: lighter than fetch at this rate). */
const agent = new Agent({ keepAlive: true, maxSockets: 64 });

function send(base: string, path: string, method: 'GET' | 'POST', headers: Record<string, string>, body?: string): Promise<number> {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path: url.pathname, method, headers, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Request `i` of part 2: even ones a page view, odd ones the next event of a video (tallied when answered 204). */
async function fire(base: string, tokens: string[], i: number, tallies: Map<string, Tally> | null): Promise<{ kind: 'page' | 'event'; status: number }> {
  const n = Math.floor(i / 2);
  const token = tokens[n % tokens.length] as string;
  if (i % 2 === 0) {
    return { kind: 'page', status: await send(base, `/v/${token}`, 'GET', { accept: 'text/html,application/xhtml+xml' }) };
  }
  const event = EVENT_CYCLE[Math.floor(n / tokens.length) % EVENT_CYCLE.length] ?? EVENT_CYCLE[0];
  const body = JSON.stringify(event);
  const status = await send(base, `/v/${token}/events`, 'POST', { 'content-type': 'text/plain;charset=UTF-8', 'content-length': String(Buffer.byteLength(body)) }, body);
  const tally = tallies?.get(token);
  if (tally && status === 204) {
    if (event.type === 'play') tally.plays += 1;
    if (event.type === 'cta') tally.ctaClicks += 1;
    if (event.type !== 'cta') tally.maxPercent = Math.max(tally.maxPercent, event.percent);
  }
  return { kind: 'event', status };
}

/** Sends `rate` requests a second for `seconds`, each at its scheduled time whatever the answers do. */
async function openLoop(rate: number, seconds: number, send: (i: number) => Promise<{ kind: 'page' | 'event'; status: number }>): Promise<OpenLoopResult> {
  const result: OpenLoopResult = { latencies: { page: [], event: [] }, statuses: {}, errors: 0 };
  const total = rate * seconds;
  const start = performance.now() + 20;
  const pending = new Set<Promise<void>>();
  let next = 0;
  while (next < total) {
    const now = performance.now();
    while (next < total && start + (next * 1000) / rate <= now) {
      const scheduled = start + (next * 1000) / rate;
      const sent: Promise<void> = send(next).then(
        ({ kind, status }) => {
          result.latencies[kind].push(performance.now() - scheduled);
          result.statuses[status] = (result.statuses[status] ?? 0) + 1;
        },
        () => {
          result.errors += 1;
        },
      );
      pending.add(sent);
      void sent.finally(() => pending.delete(sent));
      next += 1;
    }
    await new Promise((r) => setTimeout(r, 1));
  }
  await Promise.all(pending);
  return result;
}

function sampleWrites(byObject: Record<string, number>, seen: Map<string, number>, times: Map<string, number[]>): void {
  const now = performance.now();
  for (const [record, count] of Object.entries(byObject)) {
    const earlier = seen.get(record) ?? 0;
    if (count <= earlier) continue;
    const list = times.get(record) ?? [];
    for (let k = earlier; k < count; k++) list.push(now);
    times.set(record, list);
    seen.set(record, count);
  }
}

/** The most entries of `times` (ascending) inside any span shorter than `windowMs`. */
function mostInWindow(times: number[], windowMs: number): number {
  let most = 0;
  let from = 0;
  for (let to = 0; to < times.length; to++) {
    while ((times[to] as number) - (times[from] as number) >= windowMs) from++;
    most = Math.max(most, to - from + 1);
  }
  return most;
}

async function until<T>(check: () => T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting for the videos');
    await new Promise((r) => setTimeout(r, 100));
  }
}
