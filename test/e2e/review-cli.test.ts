/**
 * `reelay jobs --state awaiting_review`, `reelay job ID` (with its variant),
 * `reelay approve ID` and `reelay reject ID --reason R` as an operator runs
 * them against a database a service left renders waiting for review in;
 * then the service, started again, writes the decisions to the CRM.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/observability/logger.js';
import { startService, type Service } from '../../src/service.js';
import { runCli } from '../helpers/cli.js';
import { startHarness, TEST_CONFIG, type Harness } from '../helpers/harness.js';

const CLI_TIMEOUT = 120_000;

function lines(text: string): string[] {
  return text.split('\n').filter((line) => line.trim() !== '');
}

const REVIEW_CONFIG = TEST_CONFIG.replace(
  '    template: tpl_bdr_intro\n',
  `    template: tpl_bdr_intro
    review: required
    variants:
      - id: de
        when: { property: hs_language, equals: de }
        template: tpl_bdr_intro_de
`,
);

describe('reelay approve and reject on renders awaiting review', () => {
  let h: Harness;
  let restarted: Service | undefined;
  const ids = { english: 0, german: 0, completed: 0 };
  const contacts = { english: '', german: '' };
  let env: Record<string, string>;

  async function awaiting(firstname: string, properties: Record<string, string> = {}): Promise<{ contactId: string; renderId: number }> {
    const contactId = h.sandbox.hubspot.crm.create('contacts', { firstname, company: 'Shell Co', ...properties }).id;
    expect((await h.postHubSpot({ hs_object_id: Number(contactId) }, { query: '?campaign=bdr-intro' })).status).toBe(200);
    const row = await h.waitFor(
      async () => h.service.store.db.selectFrom('renders').select('id').where('object_id', '=', contactId).where('state', '=', 'awaiting_review').executeTakeFirst(),
      20_000,
      `${firstname}'s render to await review`,
    );
    return { contactId, renderId: row.id };
  }

  beforeAll(async () => {
    h = await startHarness({ dialect: 'sqlite', config: REVIEW_CONFIG });
    const english = await awaiting('Ella');
    const german = await awaiting('Gerd', { hs_language: 'de' });
    ids.english = english.renderId;
    ids.german = german.renderId;
    contacts.english = english.contactId;
    contacts.german = german.contactId;
    // A render of another campaign, completed without review.
    const other = h.sandbox.hubspot.crm.create('contacts', { firstname: 'Otto', company: 'Shell Co', contract_end_date: '2027-01-01' }).id;
    expect((await h.postHubSpot({ hs_object_id: Number(other) }, { query: '?campaign=renewal' })).status).toBe(200);
    const done = await h.waitFor(
      async () => h.service.store.db.selectFrom('renders').select('id').where('object_id', '=', other).where('state', '=', 'completed').executeTakeFirst(),
      20_000,
      'the renewal render to complete',
    );
    ids.completed = done.id;
    await h.settled();
    // The service stops; the operator works from the shell. The sandbox stays up for the restart.
    await h.service.stop();
    const configPath = join(dirname(h.database.url.slice('sqlite:'.length)), 'reelay.yaml');
    writeFileSync(configPath, REVIEW_CONFIG);
    env = { DATABASE_URL: h.database.url, REELAY_CONFIG: configPath };
  }, 120_000);

  afterAll(async () => {
    await restarted?.stop();
    await h?.sandbox.close();
    await h?.database.drop();
  });

  it('--help lists approve and reject', { timeout: CLI_TIMEOUT }, async () => {
    const help = await runCli(['--help']);
    expect(help.stdout).toContain('reelay approve ID');
    expect(help.stdout).toContain('reelay reject ID --reason R');
  });

  it('jobs --state awaiting_review lists the renders waiting; job ID shows the variant', { timeout: CLI_TIMEOUT }, async () => {
    const [waiting, german, english] = await Promise.all([
      runCli(['jobs', '--state', 'awaiting_review'], { env }),
      runCli(['job', String(ids.german)], { env }),
      runCli(['job', String(ids.english)], { env }),
    ]);
    expect(waiting.code).toBe(0);
    const rows = lines(waiting.stdout).filter((r) => /^\d+\t/.test(r));
    expect(rows.map((r) => Number(r.split('\t')[0])).sort()).toEqual([ids.english, ids.german].sort());
    expect(rows.every((r) => r.split('\t')[1] === 'awaiting_review')).toBe(true);
    expect(german.code).toBe(0);
    expect(german.stdout).toMatch(/^state\s+awaiting_review$/m);
    expect(german.stdout).toMatch(/^variant\s+de$/m);
    expect(german.stdout).toMatch(/^template_id\s+tpl_bdr_intro_de$/m);
    expect(german.stdout).toMatch(/rendering\s+-> awaiting_review video ready, awaiting review: http/);
    expect(english.stdout).toMatch(/^variant\s+\(campaign template\)$/m);
  });

  it('approve ID approves once; again, an unknown id or a completed render exit 2 with one clear line', { timeout: CLI_TIMEOUT }, async () => {
    const approved = await runCli(['approve', String(ids.english)], { env });
    expect(approved.code).toBe(0);
    expect(approved.stdout).toBe(`render ${ids.english} approved: its video goes to the CRM\n`);
    const [again, unknown, completed, usage] = await Promise.all([
      runCli(['approve', String(ids.english)], { env }),
      runCli(['approve', '999999'], { env }),
      runCli(['approve', String(ids.completed)], { env }),
      runCli(['approve'], { env }),
    ]);
    expect(again.code).toBe(2);
    expect(lines(again.stderr)).toEqual([`reelay: render ${ids.english} is completed, not awaiting_review; only a render awaiting review can be approved or rejected`]);
    expect(unknown.code).toBe(2);
    expect(lines(unknown.stderr)).toEqual(['reelay: no render 999999']);
    expect(completed.code).toBe(2);
    expect(usage.code).toBe(2);
    expect(lines(usage.stderr)).toEqual(['reelay: usage: reelay approve ID']);
    const shown = await runCli(['job', String(ids.english)], { env });
    expect(shown.stdout).toMatch(/awaiting_review -> completed\s+approved by an operator/);
  });

  it('reject ID needs --reason; with one the render is failed with "rejected: R"', { timeout: CLI_TIMEOUT }, async () => {
    const [bare, blank] = await Promise.all([runCli(['reject', String(ids.german)], { env }), runCli(['reject', String(ids.german), '--reason', '  '], { env })]);
    for (const refused of [bare, blank]) {
      expect(refused.code).toBe(2);
      expect(lines(refused.stderr)).toEqual(['reelay: reelay reject needs --reason R: why the video is rejected']);
    }
    const rejected = await runCli(['reject', String(ids.german), '--reason', 'wrong company name'], { env });
    expect(rejected.code).toBe(0);
    expect(rejected.stdout).toBe(`render ${ids.german} rejected: wrong company name\n`);
    const shown = await runCli(['job', String(ids.german)], { env });
    expect(shown.stdout).toMatch(/^state\s+failed$/m);
    expect(shown.stdout).toMatch(/^error_message\s+rejected: wrong company name$/m);
    expect(shown.stdout).toMatch(/awaiting_review -> failed\s+rejected by an operator: wrong company name/);
  });

  it('the service, started again, writes both decisions to the CRM; nothing was billed twice', { timeout: CLI_TIMEOUT }, async () => {
    restarted = await startService({ env: h.env, config: h.config, logger: silentLogger() });
    const crm = h.sandbox.hubspot.crm;
    await h.waitFor(
      async () => crm.get('contacts', contacts.english)?.properties.heygen_render_status === 'COMPLETED' && crm.get('contacts', contacts.german)?.properties.heygen_render_status === 'FAILED',
      30_000,
      'the decisions in the CRM',
    );
    expect(crm.get('contacts', contacts.english)?.properties.heygen_video_url).toMatch(new RegExp(`^${h.env.publicUrl}/v/`));
    expect(crm.get('contacts', contacts.german)?.properties).toMatchObject({ heygen_render_error: 'rejected: wrong company name' });
    expect(h.sandbox.heygen.ledger().filter((e) => e.billed)).toHaveLength(3);
  });
});
