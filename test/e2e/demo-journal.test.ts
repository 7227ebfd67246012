/**
 * `reelay demo --intake journal`: the same scenario with no inbound traffic
 * at all: HubSpot changes reach Reelay through the Webhooks Journal, HeyGen
 * renders are polled, renewals are queued as `reelay backfill` would.
 * Same outcome as the webhook demo: 21 of 25 rendered, 4 skipped, nothing
 * paid twice.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

describe('reelay demo --intake journal', () => {
  it('renders 21 of 25 through the journal with no inbound traffic, and pays for nothing twice', { timeout: 150_000 }, async () => {
    const result = await runCli(['demo', '--seed', '42', '--intake', 'journal'], { timeoutMs: 140_000 });
    expect(result.code, result.stderr).toBe(0);
    const out = result.stdout;
    expect(out).toMatch(/^setup:\s+2 Webhooks Journal subscriptions created \(contacts: lifecyclestage; deals: dealstage\)$/m);
    expect(out).toMatch(/^intake:\s+journal: Reelay polls the Webhooks Journal and HeyGen/m);
    expect(out).toMatch(/^total\s+25\s+21\s+4\s+0$/m);
    expect(out).toContain('written back to HubSpot (COMPLETED + link): 21 of 21');
    expect(out).toMatch(/HeyGen credits billed: 21 render\(s\), 0 paid twice/);
    expect(out).toMatch(/^Webhooks Journal: [1-9]\d* journal file\(s\) read/m);
  });

  it('--intake with another value exits 2 with one line', { timeout: 60_000 }, async () => {
    const result = await runCli(['demo', '--intake', 'carrier-pigeon'], { timeoutMs: 50_000 });
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe('reelay: --intake must be webhooks or journal (got carrier-pigeon)');
  });
});
