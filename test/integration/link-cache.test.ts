/**
 * The `/v/` link cache: a fresh HeyGen URL is kept in the database until
 * shortly before it expires (read from the URL, or HeyGen's documented 7 days
 * when the URL hides it), so 1,000 clicks cost at most one HeyGen status call
 * per URL lifetime, and a second instance on the same database shares it.
 * Counted from the sandbox's HeyGen status calls.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/observability/logger.js';
import { startService, type Service } from '../../src/service.js';
import { testDialects } from '../helpers/databases.js';
import { startHarness, type Harness } from '../helpers/harness.js';

const DAY = 24 * 60 * 60_000;

async function click(link: string, times: number, parallel = 50): Promise<Set<string>> {
  const targets = new Set<string>();
  for (let done = 0; done < times; done += parallel) {
    const answers = await Promise.all(
      Array.from({ length: Math.min(parallel, times - done) }, () => fetch(link, { redirect: 'manual' })),
    );
    for (const answer of answers) {
      expect(answer.status).toBe(302);
      targets.add(answer.headers.get('location') ?? '');
      await answer.arrayBuffer();
    }
  }
  return targets;
}

describe.each(await testDialects())('stable link cache on %s', (dialect) => {
  let h: Harness | undefined;
  let second: Service | undefined;
  afterEach(async () => {
    await second?.stop();
    second = undefined;
    await h?.stop();
    h = undefined;
  });

  it('1,000 clicks cost at most one HeyGen call per URL lifetime, when the URL hides its expiry, shared by instances', { timeout: 60_000 }, async () => {
    const harness = await startHarness({ dialect, sandbox: { heygen: { urlExpiry: 'policy' } } });
    h = harness;
    let skewMs = 0;
    harness.service.ctx.clock = { now: () => Date.now() + skewMs };
    const crm = harness.sandbox.hubspot.crm;
    const id = crm.create('contacts', { firstname: 'Kay', company: 'Cache Co' }).id;
    await harness.postHubSpot({ hs_object_id: Number(id) }, { query: '?campaign=bdr-intro' });
    const link = await harness.waitFor(async () => crm.get('contacts', id)?.properties.heygen_video_url);
    await harness.settled();
    const statusCalls = () => harness.sandbox.heygen.stats().statusCalls;

    // The URL fetched at completion carries no readable expiry: it is kept for HeyGen's 7 days.
    let before = statusCalls();
    const first = await click(link, 1_000);
    expect(statusCalls() - before).toBeLessThanOrEqual(1);
    expect(first.size).toBe(1);
    expect((await fetch([...first][0] as string)).status).toBe(200);

    // Another instance on the same database serves the cached URL without asking HeyGen.
    second = await startService({ env: { ...harness.env, port: 0 }, config: harness.config, logger: silentLogger(), role: 'web' });
    before = statusCalls();
    const shared = await click(`${second.url}/v/${link.split('/v/')[1]}`, 200);
    expect(statusCalls() - before).toBe(0);
    expect(shared).toEqual(first);

    // Shortly before those 7 days are up, the next clicks fetch one fresh URL, and it is kept in turn.
    skewMs = 7 * DAY - 30 * 60_000;
    before = statusCalls();
    const renewed = await click(link, 1_000);
    expect(statusCalls() - before).toBe(1);
    expect(renewed.size).toBe(1);
    // (Not compared with the first URL: the sandbox signs to the second, so a renewal
    // in the same second as the completion's fetch may sign the very same URL.)
    expect((await fetch([...renewed][0] as string)).status).toBe(200);

    // Two instances clicked at once when the next renewal is due: still one HeyGen call between them.
    skewMs = 2 * (7 * DAY - 30 * 60_000);
    second.ctx.clock = harness.service.ctx.clock;
    before = statusCalls();
    const token = link.split('/v/')[1] as string;
    const both = await Promise.all([click(link, 300), click(`${second.url}/v/${token}`, 300)]);
    expect(statusCalls() - before).toBe(1);
    // Clicks answered during the renewal may get the previous URL, which has not expired yet.
    for (const targets of both) for (const target of targets) expect((await fetch(target)).status).toBe(200);
  });
});
