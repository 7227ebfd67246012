/**
 * The throughput issue's proofs, by call counts from the sandbox (never by
 * timing): a bulk trigger is enriched with batch reads and written back
 * with coalesced batch updates; under a burst HubSpot never answers 429;
 * HeyGen never sees more renders in flight than the plan allows.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../src/core/clock.js';
import type { RenderState } from '../../src/core/states.js';
import { testDialects } from '../helpers/databases.js';
import { startHarness, type Harness, type HarnessOptions } from '../helpers/harness.js';

const MQL = 'marketingqualifiedlead';
const MINUTE = 60_000;

/** Creates `n` contacts the bdr-intro campaign can render, then qualifies them all at once (subscription events in arrays of 100). */
function qualifyInBulk(h: Harness, n: number): string[] {
  const crm = h.sandbox.hubspot.crm;
  const ids = crm
    .createMany(
      'contacts',
      Array.from({ length: n }, (_, i) => ({ properties: { firstname: `Lead${i}`, company: `Bulk ${i % 7}`, lifecyclestage: 'lead' } })),
    )
    .map((r) => r.id);
  h.sandbox.hubspot.webhooks.setSubscriptions([{ subscriptionType: 'contact.propertyChange', propertyName: 'lifecyclestage' }]);
  crm.updateMany('contacts', ids.map((id) => ({ id, properties: { lifecyclestage: MQL } })));
  // From here on the sandbox counts only what Reelay does: not the seeding, the trigger or the property setup.
  h.sandbox.hubspot.control.resetStats();
  return ids;
}

function completedInCrm(h: Harness, ids: string[]): number {
  return ids.filter((id) => h.sandbox.hubspot.crm.get('contacts', id)?.properties.heygen_render_status === 'COMPLETED').length;
}

async function everyRecordCompleted(h: Harness, ids: string[], timeoutMs: number): Promise<void> {
  await h.waitFor(async () => completedInCrm(h, ids) === ids.length, timeoutMs, `${ids.length} contacts to show COMPLETED`);
  await h.settled(timeoutMs);
}

async function rendersIn(h: Harness, state: RenderState): Promise<number> {
  const row = await h.service.store.db
    .selectFrom('renders')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('state', '=', state)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function queuedCrmWrites(h: Harness): Promise<number> {
  const row = await h.service.store.db.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

function calls(h: Harness): Record<string, number> {
  return h.sandbox.hubspot.stats().calls;
}

/** A HeyGen plan wide enough to render a bulk trigger all at once: what is under test is HubSpot traffic. */
function wideHeyGen(n: number): { concurrency: number; sandbox: NonNullable<HarnessOptions['sandbox']> } {
  return { concurrency: n, sandbox: { heygen: { concurrency: n, overflow: '429', renderMs: { min: 20, max: 20 } } } };
}

describe.each(await testDialects())('throughput on %s', (dialect) => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('300 qualified contacts cost 3 batch reads and 3 batch updates: PENDING is replaced by COMPLETED while it waits', { timeout: 180_000 }, async () => {
    const n = 300;
    const batchDelay = 2 * MINUTE;
    const heygen = wideHeyGen(n);
    const harness = await startHarness({
      dialect,
      sandbox: heygen.sandbox,
      tweak: (c) => {
        c.heygen.concurrency = heygen.concurrency;
        c.hubspot.batchDelay = batchDelay;
      },
    });
    h = harness;
    // The engine's time, moved by hand below; HTTP, signatures and budgets keep real time.
    let skewMs = 0;
    const engineClock: Clock = { now: () => Date.now() + skewMs };
    harness.service.ctx.clock = engineClock;

    const ids = qualifyInBulk(harness, n);
    // Every video is rendered while the outbox holds the CRM writes back...
    await harness.waitFor(async () => (await rendersIn(harness, 'completed')) === n, 120_000, 'every render to complete');
    expect(await queuedCrmWrites(harness)).toBe(n);
    expect(harness.sandbox.hubspot.stats().writes.total).toBe(0);
    expect(calls(harness)['objects.batchRead']).toBe(3);
    // ...until their batch delay has passed.
    skewMs = batchDelay + MINUTE;
    await everyRecordCompleted(harness, ids, 60_000);

    const c = calls(harness);
    expect(c['objects.batchRead']).toBe(3);
    expect(c['objects.batchUpdate']).toBe(3);
    expect(c['objects.get'] ?? 0).toBe(0);
    expect(c['objects.patch'] ?? 0).toBe(0);
    // The naive flow spends 3 calls per video; this is 0.02.
    expect(harness.sandbox.hubspot.stats().totalRequests / n).toBe(0.02);

    // One write per record, carrying the finished video: PENDING never went out on its own.
    const writes = harness.sandbox.hubspot.stats().writes;
    expect(writes.maxPerObject).toBe(1);
    for (const id of ids) expect(writes.byObject[`contacts/${id}`], `writes to contacts/${id}`).toBe(1);
    const billed = new Set(harness.sandbox.heygen.ledger().filter((e) => e.billed).map((e) => e.video_id));
    expect(billed.size).toBe(n);
    for (const id of ids) {
      const props = harness.sandbox.hubspot.crm.get('contacts', id)?.properties ?? {};
      expect(props.heygen_render_status).toBe('COMPLETED');
      expect(billed.has(props.heygen_job_id as string)).toBe(true);
      expect(props.heygen_video_url).toMatch(/\/v\/[\w-]+$/);
    }
  });

  it('a burst against a tiny HubSpot budget (5 per 10 s) never gets a 429', { timeout: 180_000 }, async () => {
    const burst = 5;
    // At least 3 batch reads and 3 batch updates: more than one window allows, however well Reelay batches.
    const n = 300;
    const heygen = wideHeyGen(n);
    h = await startHarness({
      dialect,
      sandbox: heygen.sandbox,
      tweak: (c) => {
        c.heygen.concurrency = heygen.concurrency;
        c.hubspot.burst = burst;
      },
    });
    // The portal's limit drops once the properties exist (their setup is not Reelay's render traffic).
    h.sandbox.hubspot.control.setLimits({ burst });
    h.sandbox.hubspot.control.resetRateLimits();
    const ids = qualifyInBulk(h, n);
    await everyRecordCompleted(h, ids, 150_000);

    const stats = h.sandbox.hubspot.stats();
    expect(stats.totalRequests).toBeGreaterThan(burst);
    expect(stats.statuses['429'] ?? 0).toBe(0);
    expect(stats.rateLimited.TEN_SECONDLY_ROLLING).toBe(0);
    expect(stats.maxRequestsIn10s).toBeLessThanOrEqual(burst);
    expect(h.sandbox.heygen.ledger().filter((e) => e.billed)).toHaveLength(n);
  });

  it('renders in flight at HeyGen never exceed the configured window, so HeyGen never answers 429', { timeout: 60_000 }, async () => {
    const concurrency = 2;
    h = await startHarness({
      dialect,
      sandbox: { heygen: { concurrency, overflow: '429', renderMs: { min: 200, max: 300 } } },
      tweak: (c) => {
        c.heygen.concurrency = concurrency;
      },
    });
    const ids = qualifyInBulk(h, 12);
    await everyRecordCompleted(h, ids, 50_000);

    const stats = h.sandbox.heygen.stats();
    expect(stats.rateLimited).toBe(0);
    expect(stats.maxConcurrentObserved).toBeLessThanOrEqual(concurrency);
    // ...and the window was used, not merely respected.
    expect(stats.maxConcurrentObserved).toBe(concurrency);
    expect(h.sandbox.heygen.ledger().filter((e) => e.billed)).toHaveLength(ids.length);
  });
});
