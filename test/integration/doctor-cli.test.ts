/**
 * The four commands as a user runs them: `node bin/reelay.mjs <command>`
 * with an environment and a reelay.yaml, exit codes and output as a shell
 * sees them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { loadEnv } from '../../src/config/env.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { runCli, tempDir, type TempDir } from '../helpers/cli.js';
import { startHarness, TEST_CONFIG, testSecrets, type Harness } from '../helpers/harness.js';

let h: Harness | undefined;
let sandbox: Sandbox | undefined;
let dir: TempDir | undefined;
afterEach(async () => {
  await h?.stop();
  await sandbox?.close();
  dir?.remove();
  h = sandbox = dir = undefined;
});

/** The environment of the in-process harness, as variables for a child process. */
function harnessEnv(harness: Harness, configPath: string): Record<string, string> {
  return {
    REELAY_CONFIG: configPath,
    DATABASE_URL: harness.database.url,
    PUBLIC_URL: harness.env.publicUrl ?? '',
    HUBSPOT_ACCESS_TOKEN: harness.secrets.hubspotAccessToken,
    HUBSPOT_CLIENT_SECRET: harness.secrets.hubspotClientSecret,
    HEYGEN_API_KEY: harness.secrets.heygenApiKey,
    HEYGEN_WEBHOOK_SECRET: harness.secrets.heygenWebhookSecret,
    HUBSPOT_API_BASE: harness.sandbox.hubspot.url,
    HEYGEN_API_BASE: harness.sandbox.heygen.url,
  };
}

describe('reelay doctor, render, backfill and setup from the shell', () => {
  it('doctor exits 0 when all is well and 1 with the red line when the token is wrong', async () => {
    h = await startHarness();
    dir = tempDir();
    const env = harnessEnv(h, dir.write('reelay.yaml', TEST_CONFIG));

    const good = await runCli(['doctor'], { env });
    expect(good.stderr).toBe('');
    expect(good.stdout).toMatch(/all \d+ checks passed/);
    expect(good.code).toBe(0);

    const bad = await runCli(['doctor'], { env: { ...env, HUBSPOT_ACCESS_TOKEN: 'pat-na1-wrong' } });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('✗ HubSpot refused the token');
    expect(bad.stdout).not.toContain('\u001b['); // not a terminal: no colour
  });

  it('render --dry-run prints the request; render queues it; a missing flag is a usage error (exit 2)', async () => {
    h = await startHarness();
    dir = tempDir();
    const env = harnessEnv(h, dir.write('reelay.yaml', TEST_CONFIG));
    const id = h.sandbox.hubspot.crm.create('contacts', { firstname: 'Ada', company: 'Analytical Engines' }).id;

    const dry = await runCli(['render', '--campaign', 'bdr-intro', '--object-id', id, '--dry-run'], { env });
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(`POST ${h.sandbox.heygen.url}/v3/templates/tpl_bdr_intro`);
    expect(h.sandbox.heygen.ledger()).toHaveLength(0);

    const real = await runCli(['render', '--campaign', 'bdr-intro', '--object-id', id], { env });
    expect(real.code).toBe(0);
    expect(real.stdout).toMatch(/^render \d+ queued/);
    await h.waitFor(async () => h?.sandbox.hubspot.crm.get('contacts', id)?.properties.heygen_render_status === 'COMPLETED', 20_000, 'the video');

    const usage = await runCli(['render', '--object-id', id], { env });
    expect(usage.code).toBe(2);
    expect(usage.stderr).toBe('reelay: usage: reelay render --campaign C --object-id N [--dry-run]\n');
  });

  it('backfill --dry-run prints the requests and the count, progress on stderr', async () => {
    h = await startHarness();
    dir = tempDir();
    const env = harnessEnv(h, dir.write('reelay.yaml', TEST_CONFIG));
    h.sandbox.hubspot.crm.createMany('contacts', Array.from({ length: 3 }, (_, i) => ({ properties: { firstname: `C${i}`, lifecyclestage: 'customer' } })));

    const run = await runCli(['backfill', '--campaign', 'bdr-intro', '--filter', 'lifecyclestage=customer', '--dry-run', '--limit', '2'], { env });

    expect(run.code).toBe(0);
    expect(run.stdout).toContain('2 contacts matched lifecyclestage=customer');
    expect(run.stdout).toContain('dry run: 2 would render');
    expect(run.stderr).toContain('previewing contacts: 2/2');
    expect(h.sandbox.heygen.ledger()).toHaveLength(0);

    const bad = await runCli(['backfill', '--campaign', 'bdr-intro', '--filter', 'lifecyclestage'], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^reelay: --filter: cannot read "lifecyclestage"/);
  });

  it('setup needs no webhook secret yet, prints the one to store, and a second run changes nothing', async () => {
    const secrets = testSecrets();
    sandbox = await startSandbox({ secrets: { hubspotAccessToken: secrets.hubspotAccessToken, hubspotClientSecret: secrets.hubspotClientSecret, heygenApiKey: secrets.heygenApiKey } });
    dir = tempDir();
    const env = {
      REELAY_CONFIG: dir.write('reelay.yaml', TEST_CONFIG),
      PUBLIC_URL: 'https://reelay.example.com',
      HUBSPOT_ACCESS_TOKEN: secrets.hubspotAccessToken,
      HEYGEN_API_KEY: secrets.heygenApiKey,
      HUBSPOT_API_BASE: sandbox.hubspot.url,
      HEYGEN_API_BASE: sandbox.heygen.url,
    };
    expect(loadEnv(env).heygenWebhookSecret).toBeUndefined();

    const first = await runCli(['setup'], { env });
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/HEYGEN_WEBHOOK_SECRET=whsec_\S+/);
    const created = sandbox.hubspot.stats().calls['properties.create'];
    // Nine properties (status, URL, job id, error, thumbnail URL and four of engagement) on each of the two object types.
    expect(created).toBe(18);

    const second = await runCli(['setup'], { env });
    expect(second.code).toBe(0);
    expect(second.stdout).not.toContain('HEYGEN_WEBHOOK_SECRET=');
    expect(sandbox.hubspot.stats().calls['properties.create']).toBe(created);

    const noToken = await runCli(['setup'], { env: { ...env, HUBSPOT_ACCESS_TOKEN: '' } });
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toBe('reelay: HUBSPOT_ACCESS_TOKEN is required (the HubSpot bearer token)\n');
  });
});
