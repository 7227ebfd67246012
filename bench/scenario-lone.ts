/**
 * Scenario 3, lone trigger: one workflow webhook at a time, on an idle
 * service, to the moment HeyGen receives the create. The sandbox adds no
 * latency; the one HubSpot read on the way (a single GET, a lone render is
 * not worth a batch) is timed by Reelay's own metrics and shown beside the
 * total, so what remains is Reelay's own time.
 */
import { seededRandom } from '../src/core/clock.js';
import { seedContacts } from '../src/sandbox/hubspot/seed.js';
import { signV3 } from '../test/helpers/signing.js';
import { reproduceCommand, type BenchOptions } from './options.js';
import { atMost, fixed, percentile, printTable, progress, type Figure } from './report.js';
import { CAMPAIGN, startStack, type Stack } from './stack.js';

const PATH = `/webhooks/hubspot?campaign=${CAMPAIGN}`;
const RENDER_MS = 50;
/** Pause after each trial's write-back, so the next trigger finds the workers idle. */
const IDLE_BETWEEN_MS = 300;

interface Trial {
  /** Webhook sent -> HeyGen received the create. */
  totalMs: number;
  /** Webhook sent -> 2xx received. */
  ackMs: number;
}

export async function runLone(o: BenchOptions): Promise<void> {
  const stack = await startStack({
    bench: o,
    heygenConcurrency: 3,
    hubspotBurst: 100,
    sandbox: { heygen: { renderMs: { min: RENDER_MS, max: RENDER_MS } } },
  });
  const trials: Trial[] = [];
  let hubspotGet: { seconds: number; count: number };
  try {
    const ids = stack.sandbox.hubspot.crm
      .createMany('contacts', seedContacts(o.trials, seededRandom(o.seed), { lifecyclestage: 'customer' }))
      .map((r) => r.id);
    // A warm-up trigger (first-use costs: connections, prepared statements, JIT) is not measured.
    await trial(stack, ids[0] as string);
    const before = await hubspotGetTime(stack);
    for (const [i, id] of ids.slice(1).entries()) {
      trials.push(await trial(stack, id));
      if ((i + 1) % 10 === 0) progress(`lone: ${i + 1}/${ids.length - 1} triggers`);
    }
    const after = await hubspotGetTime(stack);
    hubspotGet = { seconds: after.seconds - before.seconds, count: after.count - before.count };
  } finally {
    await stack.stop();
  }

  const totals = trials.map((t) => t.totalMs).sort((a, b) => a - b);
  const acks = trials.map((t) => t.ackMs).sort((a, b) => a - b);
  const getMs = hubspotGet.count === 0 ? 0 : (hubspotGet.seconds * 1000) / hubspotGet.count;
  const own = totals.map((t) => Math.max(0, t - getMs));
  const figures: Figure[] = [
    { name: "p50 Reelay's own time, ms (total - HubSpot GET)", value: fixed(percentile(own, 50), 1), target: '<= 50', verdict: atMost(percentile(own, 50), 50) },
    { name: "  p90 | max Reelay's own time, ms", value: `${fixed(percentile(own, 90), 1)} | ${fixed(own[own.length - 1] ?? 0, 1)}` },
    { name: '  p50 | p90 | max webhook -> HeyGen create, ms', value: `${fixed(percentile(totals, 50))} | ${fixed(percentile(totals, 90))} | ${fixed(totals[totals.length - 1] ?? 0)}` },
    { name: '  mean HubSpot GET seen by Reelay, ms', value: `${fixed(getMs, 1)} (${hubspotGet.count} calls)` },
    { name: '  p50 | max webhook answered (2xx), ms', value: `${fixed(percentile(acks, 50))} | ${fixed(acks[acks.length - 1] ?? 0)}` },
    { name: 'triggers measured', value: fixed(trials.length) },
  ];
  printTable('Scenario 3: lone trigger, webhook -> HeyGen create', {
    notes: [
      `Reelay: \`reelay serve\` in a child process, ${o.dialect}, production defaults (idle workers wake on intake, not on a timer).`,
      `Each trigger is a signed workflow webhook (?campaign=${CAMPAIGN}) for a fresh contact, sent once the previous one is written back and ${IDLE_BETWEEN_MS} ms have passed;`,
      `the sandbox answers without added latency. "Create" is the HeyGen sandbox's own timestamp of the accepted render (ms resolution).`,
      `Reelay's own time is the total minus the mean time of its HubSpot GET (reelay_provider_call_seconds); the HeyGen call is not subtracted.`,
    ],
    figures,
    command: reproduceCommand('lone', o),
  });
}

async function trial(stack: Stack, contactId: string): Promise<Trial> {
  const url = `${stack.url}${PATH}`;
  const body = JSON.stringify({ hs_object_id: contactId, portalId: 62515 });
  const ledgerBefore = stack.sandbox.heygen.ledger().length;
  const sentAt = Date.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...signV3(stack.secrets.hubspotClientSecret, 'POST', url, body, sentAt) },
    body,
  });
  const ackMs = Date.now() - sentAt;
  if (!response.ok) throw new Error(`lone trigger for contact ${contactId} answered ${response.status}: ${await response.text()}`);
  const created = await until(() => stack.sandbox.heygen.ledger()[ledgerBefore], `the HeyGen create for contact ${contactId}`);
  await until(() => stack.sandbox.hubspot.crm.get('contacts', contactId)?.properties.heygen_render_status === 'COMPLETED', `contact ${contactId} to show COMPLETED`);
  await new Promise((r) => setTimeout(r, IDLE_BETWEEN_MS));
  return { totalMs: Date.parse(created.created_at) - sentAt, ackMs };
}

async function until<T>(check: () => T | undefined | false, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 1));
  }
}

/** Seconds spent in, and number of, Reelay's single-record HubSpot reads, from its /metrics. */
async function hubspotGetTime(stack: Stack): Promise<{ seconds: number; count: number }> {
  const text = await (await fetch(`${stack.url}/metrics`)).text();
  const value = (suffix: string) => {
    const line = text.split('\n').find((l) => l.startsWith(`reelay_provider_call_seconds_${suffix}{`) && l.includes('provider="hubspot"') && l.includes('operation="crm.getObject"'));
    return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
  };
  return { seconds: value('sum'), count: value('count') };
}
