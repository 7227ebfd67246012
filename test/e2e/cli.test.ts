/**
 * The `reelay` executable as a user runs it (`node bin/reelay.mjs ...` in a
 * child process with an explicit environment): exit codes and output.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir, type CliResult, type TempDir } from '../helpers/cli.js';
import { startHarness, TEST_CONFIG, testSecrets, type Harness } from '../helpers/harness.js';

const CLI_TIMEOUT = 120_000;

function lines(text: string): string[] {
  return text.split('\n').filter((line) => line.trim() !== '');
}

/** A failure a user can act on: one message, no stack trace. */
function expectCleanFailure(result: CliResult): void {
  expect(result.code).not.toBe(0);
  expect(result.code).not.toBeNull();
  expect(result.stderr).not.toMatch(/^\s+at /m);
  expect(result.stderr).not.toMatch(/Error:/);
}

describe('reelay CLI', () => {
  let dir: TempDir;
  beforeAll(() => {
    dir = tempDir();
  });
  afterAll(() => dir?.remove());

  it('--help lists the commands and exits 0; an unknown command exits 2', { timeout: CLI_TIMEOUT }, async () => {
    const [help, unknown] = await Promise.all([runCli(['--help']), runCli(['frobnicate'])]);
    expect(help.code).toBe(0);
    for (const command of ['serve', 'demo', 'sandbox', 'migrate', 'jobs', 'job ID', 'retry ID', 'cancel ID']) {
      expect(help.stdout).toContain(`reelay ${command}`);
    }
    expect(unknown.code).toBe(2);
    const complaint = lines(unknown.stderr);
    expect(complaint).toHaveLength(1);
    expect(complaint[0]).toMatch(/^reelay: unknown command frobnicate/);
  });

  it('migrate applies the migrations to a fresh SQLite file, then reports it up to date', { timeout: CLI_TIMEOUT }, async () => {
    const url = `sqlite:${join(dir.path, 'migrate.db')}`;
    const first = await runCli(['migrate'], { env: { DATABASE_URL: url } });
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/: applied 001-initial(, [\w-]+)*\n$/);
    const second = await runCli(['migrate'], { env: { DATABASE_URL: url } });
    expect(second.code).toBe(0);
    expect(second.stdout).toBe(`${url}: up to date\n`);
  });

  it('serve without HUBSPOT_ACCESS_TOKEN stops with one line naming it, and no secret in it', { timeout: CLI_TIMEOUT }, async () => {
    const secrets = testSecrets();
    const configPath = dir.write('unused.yaml', 'campaigns: []\n');
    const result = await runCli(['serve'], {
      env: {
        PORT: '0',
        REELAY_CONFIG: configPath,
        DATABASE_URL: `sqlite:${join(dir.path, 'no-token.db')}`,
        HUBSPOT_CLIENT_SECRET: secrets.hubspotClientSecret,
        HEYGEN_API_KEY: secrets.heygenApiKey,
        HEYGEN_WEBHOOK_SECRET: secrets.heygenWebhookSecret,
      },
    });
    expectCleanFailure(result);
    const stderr = lines(result.stderr);
    expect(stderr).toHaveLength(1);
    expect(stderr[0]).toMatch(/^reelay: HUBSPOT_ACCESS_TOKEN is required/);
    for (const value of [secrets.hubspotClientSecret, secrets.heygenApiKey, secrets.heygenWebhookSecret]) expect(result.stderr).not.toContain(value);
    expect(result.stdout).toBe('');
  });

  it('setup --hubspot-project DIR writes the HubSpot project and the steps left, touching no API; without PUBLIC_URL one line', { timeout: CLI_TIMEOUT }, async () => {
    const configPath = dir.write('project.yaml', TEST_CONFIG);
    const project = join(dir.path, 'hs-project');
    // No credentials at all, and no API to reach: the command only writes files.
    const env = { REELAY_CONFIG: configPath, PUBLIC_URL: 'https://reelay.example.com', HUBSPOT_API_BASE: 'http://127.0.0.1:9', HEYGEN_API_BASE: 'http://127.0.0.1:9' };
    const result = await runCli(['setup', '--hubspot-project', project], { env });
    expect(result.code).toBe(0);
    for (const file of ['hsproject.json', 'src/app/app-hsmeta.json', 'src/app/webhooks/webhooks-hsmeta.json']) {
      expect(existsSync(join(project, file))).toBe(true);
      expect(result.stdout).toContain(`${file} written`);
    }
    expect(result.stdout).toContain(`cd ${project} && hs project upload`);
    expect(result.stdout).toContain('HUBSPOT_ACCESS_TOKEN=<static access token>');

    const missing = await runCli(['setup', '--hubspot-project', join(dir.path, 'other')], { env: { REELAY_CONFIG: configPath } });
    expectCleanFailure(missing);
    expect(missing.code).toBe(2);
    expect(lines(missing.stderr)).toEqual([expect.stringMatching(/^reelay: --hubspot-project needs PUBLIC_URL/)]);
    expect(existsSync(join(dir.path, 'other'))).toBe(false);
  });

  it('serve with a typo in the configuration names its path and stops before touching the database', { timeout: CLI_TIMEOUT }, async () => {
    const secrets = testSecrets();
    const configPath = dir.write(
      'typo.yaml',
      [
        'campaigns:',
        '  - id: bdr-intro',
        '    object: contacts',
        '    template: tpl_bdr_intro',
        '    variables:',
        '      first_name: { propertyx: firstname, required: true }',
        '',
      ].join('\n'),
    );
    const databasePath = join(dir.path, 'typo.db');
    const result = await runCli(['serve'], {
      env: {
        PORT: '0',
        REELAY_CONFIG: configPath,
        DATABASE_URL: `sqlite:${databasePath}`,
        HUBSPOT_ACCESS_TOKEN: secrets.hubspotAccessToken,
        HUBSPOT_CLIENT_SECRET: secrets.hubspotClientSecret,
        HEYGEN_API_KEY: secrets.heygenApiKey,
        HEYGEN_WEBHOOK_SECRET: secrets.heygenWebhookSecret,
      },
    });
    expectCleanFailure(result);
    expect(result.stderr).toContain('campaigns[0].variables.first_name.propertyx');
    expect(result.stderr).toContain(configPath);
    expect(existsSync(databasePath)).toBe(false);
  });
});

function dirOfDb(databaseUrl: string, yaml: string): string {
  const path = join(dirname(databaseUrl.slice('sqlite:'.length)), 'reelay.yaml');
  writeFileSync(path, yaml);
  return path;
}

describe('reelay jobs, job, retry, cancel on a database a service left behind', () => {
  let h: Harness;
  const ids = { completed: 0, failed: 0, live: 0 };
  let env: Record<string, string>;

  /** Triggers a bdr-intro render for a new contact and waits until its render is in `state`. */
  async function renderIn(state: 'completed' | 'failed' | 'rendering', firstname: string): Promise<number> {
    const contactId = h.sandbox.hubspot.crm.create('contacts', { firstname, company: 'Shell Co' }).id;
    expect((await h.postHubSpot({ hs_object_id: Number(contactId) }, { query: '?campaign=bdr-intro' })).status).toBe(200);
    const row = await h.waitFor(
      async () => h.service.store.db.selectFrom('renders').select('id').where('object_id', '=', contactId).where('state', '=', state).executeTakeFirst(),
      20_000,
      `${firstname}'s render to be ${state}`,
    );
    return row.id;
  }

  beforeAll(async () => {
    h = await startHarness({ dialect: 'sqlite' });
    ids.completed = await renderIn('completed', 'Cleo');
    h.sandbox.heygen.control.setFaults({ failRate: 1 });
    ids.failed = await renderIn('failed', 'Fay');
    h.sandbox.heygen.control.setFaults({ failRate: 0, stuckRate: 1 });
    ids.live = await renderIn('rendering', 'Liv');
    await h.service.stop();
    await h.sandbox.close();
    // cancel tells the CRM that no video will come: it reads the property names from the config.
    env = { DATABASE_URL: h.database.url, REELAY_CONFIG: dirOfDb(h.database.url, TEST_CONFIG) };
  });
  afterAll(async () => h?.database.drop());

  it('jobs lists every render with its state, and the counts', { timeout: CLI_TIMEOUT }, async () => {
    const [all, failedOnly] = await Promise.all([runCli(['jobs'], { env }), runCli(['jobs', '--state', 'failed'], { env })]);
    expect(all.code).toBe(0);
    const rows = lines(all.stdout);
    expect(rows[0]?.split('\t')).toEqual(['ID', 'STATE', 'CAMPAIGN', 'OBJECT', 'VIDEO', 'UPDATED', 'NOTE']);
    const byId = new Map(rows.slice(1, 4).map((r) => [Number(r.split('\t')[0]), r.split('\t')]));
    expect(byId.get(ids.completed)?.slice(1, 3)).toEqual(['completed', 'bdr-intro']);
    expect(byId.get(ids.failed)?.slice(1, 3)).toEqual(['failed', 'bdr-intro']);
    expect(byId.get(ids.failed)?.[6]).toMatch(/render|failed/i);
    expect(byId.get(ids.live)?.slice(1, 3)).toEqual(['rendering', 'bdr-intro']);
    expect(rows.at(-1)?.split(/\s{2,}/).sort()).toEqual(['completed: 1', 'failed: 1', 'rendering: 1']);

    expect(failedOnly.code).toBe(0);
    expect(lines(failedOnly.stdout).filter((r) => /^\d+\t/.test(r)).map((r) => Number(r.split('\t')[0]))).toEqual([ids.failed]);
  });

  it('job ID shows the render and its timeline; an unknown ID exits 2', { timeout: CLI_TIMEOUT }, async () => {
    const [shown, missing] = await Promise.all([runCli(['job', String(ids.completed)], { env }), runCli(['job', '999999'], { env })]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/^state\s+completed$/m);
    expect(shown.stdout).toMatch(/^video_id\s+[0-9a-f]{32}$/m);
    expect(shown.stdout).toContain('timeline:');
    expect(shown.stdout).toMatch(/-> received\s+triggered by workflow event/);
    expect(shown.stdout).toMatch(/rendering\s+-> completed/);
    expect(missing.code).toBe(2);
    expect(lines(missing.stderr)).toEqual(['reelay: no render 999999']);
  });

  it('retry ID re-queues a failed render; a completed one is refused', { timeout: CLI_TIMEOUT }, async () => {
    const refused = await runCli(['retry', String(ids.completed)], { env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/is completed; only failed, skipped or cancelled renders can be retried/);

    const retried = await runCli(['retry', String(ids.failed)], { env });
    expect(retried.code).toBe(0);
    expect(retried.stdout).toBe(`render ${ids.failed} re-queued\n`);
    const after = await runCli(['job', String(ids.failed)], { env });
    expect(after.stdout).toMatch(/^state\s+received$/m);
    expect(after.stdout).toMatch(/failed\s+-> received\s+re-queued by an operator/);
  });

  it('cancel ID cancels a live render once; cancelling it again exits 2', { timeout: CLI_TIMEOUT }, async () => {
    const cancelled = await runCli(['cancel', String(ids.live)], { env });
    expect(cancelled.code).toBe(0);
    expect(cancelled.stdout).toBe(`render ${ids.live} cancelled\n`);
    const again = await runCli(['cancel', String(ids.live)], { env });
    expect(again.code).toBe(2);
    expect(lines(again.stderr)).toEqual([`reelay: render ${ids.live} is already cancelled`]);
    const shown = await runCli(['job', String(ids.live)], { env });
    expect(shown.stdout).toMatch(/^state\s+cancelled$/m);
  });
});
