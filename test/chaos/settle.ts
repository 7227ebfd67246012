/**
 * Waiting for a chaos pass to be over: every webhook delivered (or given up
 * by the sandbox), no render left to act on, no CRM write queued, and
 * HeyGen's callbacks all delivered or dropped. "Over" must hold for a few
 * polls in a row, so a redelivery landing between two reads is not missed.
 */
import type { Sandbox } from '../../src/sandbox/index.js';
import type { TriggerFirer } from './scenario.js';
import type { StoreReader } from './store-reader.js';

export interface SettleInput {
  sandbox: Sandbox;
  reader: StoreReader;
  firer: TriggerFirer;
  timeoutMs: number;
}


const QUIET_POLLS = 4;
const POLL_MS = 250;

class SettleTimeout extends Error {}

/** Resolves with null once settled, or with what it was still waiting for when time ran out. */
export async function settle(input: SettleInput): Promise<string | null> {
  const deadline = Date.now() + input.timeoutMs;
  const within = async <T>(what: string, work: Promise<T>): Promise<T> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new SettleTimeout(what)), Math.max(0, deadline - Date.now()));
    });
    try {
      return await Promise.race([work, timeout]);
    } finally {
      clearTimeout(timer);
    }
  };

  try {
    await within('HubSpot workflow webhooks to be delivered', input.firer.settle());
    await within('HubSpot subscription deliveries to drain', input.sandbox.hubspot.webhooks.drain());
    let quiet = 0;
    while (quiet < QUIET_POLLS) {
      const work = await input.reader.pendingWork();
      const webhooksPending = input.sandbox.hubspot.webhooks.stats().pending;
      quiet = work.live === 0 && work.writes === 0 && webhooksPending === 0 ? quiet + 1 : 0;
      if (Date.now() > deadline) {
        const counts = await input.reader.countsByState();
        throw new SettleTimeout(`every render to settle (renders ${JSON.stringify(counts)}, ${work.writes} CRM writes queued, ${webhooksPending} webhooks pending)`);
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    await within('HeyGen callbacks to be delivered', input.sandbox.heygen.drain());
    return null;
  } catch (err) {
    if (!(err instanceof SettleTimeout)) throw err;
    return `did not settle within ${Math.round(input.timeoutMs / 1000)} s: still waiting for ${err.message}`;
  }
}
