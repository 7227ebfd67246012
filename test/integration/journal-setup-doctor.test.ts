/**
 * `reelay setup` and `reelay doctor` with `hubspot.intake: journal` and no
 * PUBLIC_URL: setup creates the journal subscriptions (and a second run
 * creates none), registers no webhook; doctor checks the grant and each
 * needed subscription, red with a fix when one is missing or the grant is
 * refused. `serve` without HUBSPOT_CLIENT_ID stops with one line.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ReelayEnv } from '../../src/config/env.js';
import type { ReelayConfig } from '../../src/config/schema.js';
import { runDoctor } from '../../src/doctor/run-doctor.js';
import { runSetup } from '../../src/setup/run-setup.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { startHarness, TEST_CONFIG, type Harness } from '../helpers/harness.js';

function journalMode(config: ReelayConfig): void {
  config.hubspot.intake = 'journal';
  config.hubspot.journal.pollEvery = 100;
  config.heygen.link = 'share';
}

async function capture(run: (out: { write: (t: string) => void; isTTY: boolean }) => Promise<number>): Promise<{ code: number; text: string; failures: string[] }> {
  let text = '';
  const code = await run({ write: (t: string) => (text += t), isTTY: false });
  const lines = text.split('\n');
  const failures = lines.flatMap((line, i) => (line.includes('✗') ? [`${line.trim()}\n${(lines[i + 1] ?? '').trim()}`] : []));
  return { code, text, failures };
}

describe('setup and doctor with the Webhooks Journal', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('setup creates the journal subscriptions once and no webhook; doctor is green after it and red before', async () => {
    h = await startHarness({ inbound: false, tweak: journalMode });
    const env: ReelayEnv = { ...h.env, publicUrl: undefined };
    const config = h.config;

    const before = await capture((out) => runDoctor({ env, config, out }));
    expect(before.code).toBe(1);
    expect(before.failures).toEqual([
      expect.stringMatching(/journal subscription for contacts \(0-1, CREATE\+GDPR_DELETE\+UPDATE on lifecyclestage\) is missing[^]*run `reelay setup`/),
      expect.stringMatching(/journal subscription for deals \(0-3, CREATE\+UPDATE on dealstage\) is missing[^]*run `reelay setup`/),
    ]);

    const setup = await capture((out) => runSetup({ env, config, out }));
    expect(setup.code).toBe(0);
    expect(setup.text).toMatch(/Webhooks Journal subscriptions/);
    expect(setup.text).toMatch(/contacts \(0-1\) CREATE\+GDPR_DELETE\+UPDATE on lifecyclestage: created \(subscription \d+, portal 62515\)/);
    expect(setup.text).toMatch(/deals \(0-3\) CREATE\+UPDATE on dealstage: created/);
    expect(setup.text).toMatch(/PUBLIC_URL is not set: no webhook registered; Reelay polls HeyGen/);
    // No app webhook subscription to create by hand: the journal brings those events.
    expect(setup.text).not.toMatch(/subscription: contact.propertyChange/);
    const endpoints = await fetch(`${h.sandbox.heygen.url}/v3/webhooks/endpoints`, { headers: { 'x-api-key': h.secrets.heygenApiKey } }).then((r) => r.json() as Promise<{ data: unknown[] }>);
    expect(endpoints.data).toEqual([]);

    const writes = h.sandbox.hubspot.journal.counters().subscriptionWrites;
    const again = await capture((out) => runSetup({ env, config, out }));
    expect(again.code).toBe(0);
    expect(again.text).toMatch(/contacts \(0-1\) CREATE\+GDPR_DELETE\+UPDATE on lifecyclestage: already there/);
    expect(h.sandbox.hubspot.journal.counters().subscriptionWrites).toBe(writes);
    expect(h.sandbox.hubspot.journal.subscriptions()).toHaveLength(2);

    const after = await capture((out) => runDoctor({ env, config, out }));
    expect(after.failures).toEqual([]);
    expect(after.code).toBe(0);
    expect(after.text).toMatch(/✓ client-credentials token granted to HUBSPOT_CLIENT_ID/);
    expect(after.text).toMatch(/✓ scopes granted: developer.webhooks_journal.read/);
    expect(after.text).toMatch(/✓ journal subscription for contacts .* exists/);
    expect(after.text).toMatch(/✓ the journal answers/);
    expect(after.text).toMatch(/✓ PUBLIC_URL not needed: no inbound traffic/);

    h.sandbox.hubspot.journal.configureGrant({ refuse: true });
    await h.waitFor(async () => h?.logs().includes('queue paused'), 10_000, "the service's poller to pause the queue");
    const refused = await capture((out) => runDoctor({ env, config, out }));
    expect(refused.code).toBe(1);
    expect(refused.failures).toEqual([
      expect.stringMatching(/no client-credentials token: HubSpot refused the client-credentials grant[^]*HUBSPOT_CLIENT_ID/),
      // The running service's poller met the refusal too and paused the HubSpot queue.
      expect.stringMatching(/HubSpot queue is paused since .*Webhooks Journal: HubSpot refused the client-credentials grant/),
    ]);
    expect(refused.text).not.toContain(h.secrets.hubspotClientSecret);
  });

  it('reelay serve with intake journal and no HUBSPOT_CLIENT_ID stops with one line naming it', { timeout: 60_000 }, async () => {
    const dir = tempDir();
    try {
      const configPath = dir.write('reelay.yaml', TEST_CONFIG.replace('hubspot:\n', 'hubspot:\n  intake: journal\n'));
      const result = await runCli(['serve'], {
        env: { HUBSPOT_ACCESS_TOKEN: 'pat-x', HUBSPOT_CLIENT_SECRET: 'secret-value', HEYGEN_API_KEY: 'hg', HEYGEN_WEBHOOK_SECRET: 'whsec_abc', REELAY_CONFIG: configPath, DATABASE_URL: `sqlite:${dir.path}/r.db`, PORT: '0' },
      });
      expect(result.code).toBe(2);
      expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^reelay: HUBSPOT_CLIENT_ID is required when hubspot.intake is journal/)]);
      expect(result.stderr).not.toContain('secret-value');
    } finally {
      dir.remove();
    }
  });
});
