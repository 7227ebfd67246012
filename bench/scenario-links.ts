/**
 * Scenario 4, stable links: one finished video, its `/v/` link clicked
 * `--clicks` times (20 at once) through `reelay serve`, with the HeyGen
 * sandbox hiding each URL's expiry (CloudFront custom-policy URLs), the case
 * where Reelay must fall back to HeyGen's documented 7 days. Counts the
 * HeyGen status calls the clicks caused and times each redirect.
 */
import { reproduceCommand, type BenchOptions } from './options.js';
import { atMost, fixed, printTable, progress, type Figure } from './report.js';
import { CAMPAIGN, startStack } from './stack.js';
import { signV3 } from '../test/helpers/signing.js';

const PARALLEL = 20;

export async function runLinks(o: BenchOptions): Promise<void> {
  const stack = await startStack({
    bench: o,
    heygenConcurrency: 3,
    hubspotBurst: 100,
    sandbox: { heygen: { renderMs: { min: 50, max: 50 }, urlExpiry: 'policy' } },
  });
  const latencies: number[] = [];
  let calls = 0;
  try {
    const crm = stack.sandbox.hubspot.crm;
    const id = crm.create('contacts', { firstname: 'Lena', company: 'Links Bench' }).id;
    const url = `${stack.url}/webhooks/hubspot?campaign=${CAMPAIGN}`;
    const body = JSON.stringify({ hs_object_id: id });
    const sent = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...signV3(stack.secrets.hubspotClientSecret, 'POST', url, body, Date.now()) }, body });
    if (!sent.ok) throw new Error(`trigger answered ${sent.status}`);
    const link = await until(() => {
      const props = crm.get('contacts', id)?.properties;
      return props?.heygen_render_status === 'COMPLETED' ? props.heygen_video_url : undefined;
    });
    const before = stack.sandbox.heygen.stats().statusCalls;
    for (let done = 0; done < o.clicks; done += PARALLEL) {
      await Promise.all(
        Array.from({ length: Math.min(PARALLEL, o.clicks - done) }, async () => {
          const started = performance.now();
          const answer = await fetch(link, { redirect: 'manual' });
          await answer.arrayBuffer();
          latencies.push(performance.now() - started);
          if (answer.status !== 302) throw new Error(`click answered ${answer.status}`);
        }),
      );
      if ((done + PARALLEL) % 500 === 0) progress(`links: ${done + PARALLEL}/${o.clicks} clicks`);
    }
    calls = stack.sandbox.heygen.stats().statusCalls - before;
  } finally {
    await stack.stop();
  }
  latencies.sort((a, b) => a - b);
  const perThousand = (calls * 1000) / o.clicks;
  const figures: Figure[] = [
    { name: 'HeyGen status calls per 1,000 clicks', value: fixed(perThousand, 1), target: '<= 1 per URL lifetime', verdict: atMost(perThousand, 1) },
    { name: '  p50 | p90 | max redirect, ms', value: `${fixed(percentile(latencies, 50), 1)} | ${fixed(percentile(latencies, 90), 1)} | ${fixed(latencies[latencies.length - 1] ?? 0, 1)}` },
    { name: 'clicks', value: fixed(latencies.length) },
  ];
  printTable('Scenario 4: stable links, clicks -> HeyGen calls', {
    notes: [
      `Reelay: \`reelay serve\` in a child process, ${o.dialect}. One completed video; its /v/ link clicked ${o.clicks} times, ${PARALLEL} at once.`,
      'The HeyGen sandbox hides each URL\'s expiry (CloudFront Policy form), so Reelay keeps a URL for HeyGen\'s documented 7 days.',
    ],
    figures,
    command: reproduceCommand('links', o),
  });
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

async function until<T>(check: () => T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting for the video');
    await new Promise((r) => setTimeout(r, 50));
  }
}
