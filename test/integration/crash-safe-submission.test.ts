/**
 * A create that HeyGen accepted but whose answer never arrived (the
 * "timeout after accept" the seed guide warns of) must never be paid twice:
 * v3 replays the same Idempotency-Key, v2 finds the render before creating.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.js';

describe.each(['v3', 'v2'] as const)('HeyGen %s: accepted creates whose answer is lost', (api) => {
  let h: Harness;
  afterEach(async () => h?.stop());

  it('bill exactly one render per record and still complete every video', async () => {
    h = await startHarness({
      tweak: (c) => {
        c.heygen.api = api;
        c.heygen.requestTimeout = 500;
      },
      sandbox: { heygen: { faults: { timeoutAfterAcceptRate: 1, timeoutAfterAcceptHoldMs: 2_000 } } },
    });
    const crm = h.sandbox.hubspot.crm;
    const ids = Array.from({ length: 4 }, (_, i) => crm.create('contacts', { firstname: `Kim${i}`, company: 'Lost Replies' }).id);
    for (const id of ids) expect((await h.postHubSpot({ hs_object_id: Number(id) }, { query: '?campaign=bdr-intro' })).status).toBe(200);
    // Every answer is lost at first; once the fault clears, recovery must find, not re-create.
    await h.waitFor(async () => h.sandbox.heygen.ledger().length >= ids.length, 20_000, 'HeyGen to accept every create');
    h.sandbox.heygen.control.setFaults({ timeoutAfterAcceptRate: 0 });
    await h.settled(40_000);

    for (const id of ids) expect(crm.get('contacts', id)?.properties.heygen_render_status).toBe('COMPLETED');
    const billed = h.sandbox.heygen.ledger().filter((e) => e.billed);
    expect(billed).toHaveLength(ids.length);
    expect(new Set(billed.map((e) => e.callback_id)).size).toBe(ids.length);
  });
});
