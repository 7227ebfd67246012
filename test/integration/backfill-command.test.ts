/**
 * `reelay backfill`: every record of a segment gets a render, found with
 * HubSpot's search and queued for the running service; running it again
 * bills nothing twice; `--dry-run` prints the requests and spends nothing;
 * segments past search's 10,000-result ceiling are covered in full.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { backfillCommand, type BackfillCommand } from '../../src/cli/backfill.js';
import { UsageError } from '../../src/cli/common.js';
import { seededRandom } from '../../src/core/clock.js';
import { testDialects } from '../helpers/databases.js';
import { startHarness, type Harness, type HarnessOptions } from '../helpers/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

interface BackfillRun {
  code: number;
  out: string;
  progress: string;
}

async function backfill(harness: Harness, args: Pick<BackfillCommand, 'campaignId' | 'filter' | 'dryRun'> & { limit?: number }): Promise<BackfillRun> {
  let out = '';
  let progress = '';
  const code = await backfillCommand({
    env: harness.env,
    config: harness.config,
    out: { write: (t: string) => (out += t) },
    err: { write: (t: string) => (progress += t), isTTY: false },
    random: seededRandom(7),
    ...args,
  });
  return { code, out, progress };
}

function contacts(harness: Harness, n: number, properties: (i: number) => Record<string, string>): string[] {
  return harness.sandbox.hubspot.crm.createMany('contacts', Array.from({ length: n }, (_, i) => ({ properties: properties(i) }))).map((r) => r.id);
}

async function start(opts: HarnessOptions = {}): Promise<Harness> {
  h = await startHarness(opts);
  return h;
}

describe.each(await testDialects())('reelay backfill on %s', (dialect) => {
  it('renders every record of the segment once, and a second run bills nothing more', async () => {
    const harness = await start({ dialect });
    const customers = contacts(harness, 25, (i) => ({ firstname: `C${i}`, company: 'Acme', lifecyclestage: 'customer' }));
    const leads = contacts(harness, 5, (i) => ({ firstname: `L${i}`, company: 'Acme', lifecyclestage: 'lead' }));

    const first = await backfill(harness, { campaignId: 'bdr-intro', filter: 'lifecyclestage=customer', dryRun: false });

    expect(first.code).toBe(0);
    expect(first.out).toContain('25 contacts matched lifecyclestage=customer: 25 render(s) queued for campaign bdr-intro');
    expect(first.progress).toContain('queueing contacts: 25/25');
    await harness.settled();
    const crm = harness.sandbox.hubspot.crm;
    for (const id of customers) expect(crm.get('contacts', id)?.properties.heygen_render_status).toBe('COMPLETED');
    for (const id of leads) expect(crm.get('contacts', id)?.properties.heygen_render_status).toBeUndefined();
    expect(harness.sandbox.heygen.ledger()).toHaveLength(25);

    const again = await backfill(harness, { campaignId: 'bdr-intro', filter: 'lifecyclestage=customer', dryRun: false });
    expect(again.code).toBe(0);
    await harness.settled();
    expect(harness.sandbox.heygen.ledger()).toHaveLength(25);
    const duplicates = await harness.service.store.db.selectFrom('renders').select('id').where('state', '=', 'duplicate').execute();
    expect(duplicates).toHaveLength(25);
  });
});

describe('reelay backfill --dry-run', () => {
  it('prints each request up to --limit, and stores, spends and writes nothing', async () => {
    const harness = await start();
    contacts(harness, 12, (i) => ({ firstname: `C${i}`, company: 'Acme', lifecyclestage: 'customer' }));
    const writesBefore = harness.sandbox.hubspot.stats().writes.total;

    const run = await backfill(harness, { campaignId: 'bdr-intro', filter: 'lifecyclestage=customer', dryRun: true, limit: 5 });

    expect(run.code).toBe(0);
    expect(run.out.match(/would render \(render key rk_/g)).toHaveLength(5);
    expect(run.out.match(new RegExp(`POST ${harness.sandbox.heygen.url}/v3/templates/tpl_bdr_intro`, 'g'))).toHaveLength(5);
    expect(run.out).toContain('5 contacts matched lifecyclestage=customer');
    expect(run.out).toContain('dry run: 5 would render, 0 would be skipped; nothing was stored, sent to HeyGen or written to HubSpot');
    expect(run.progress).toContain('previewing contacts: 5/5');
    expect(harness.sandbox.heygen.ledger()).toHaveLength(0);
    expect(harness.sandbox.heygen.stats().createsAccepted).toBe(0);
    expect(harness.sandbox.hubspot.stats().writes.total).toBe(writesBefore);
    const stored = await harness.service.store.db.selectFrom('events').select('id').execute();
    expect(stored).toHaveLength(0);
  });

  it('counts what would be skipped, and every filter operator narrows the segment as HubSpot does', async () => {
    const harness = await start();
    contacts(harness, 4, (i) => ({ firstname: `Late${i}`, company: 'Acme', lifecyclestage: 'customer', contract_end_date: '2026-09-01' }));
    contacts(harness, 2, () => ({ firstname: 'n/a', company: 'Acme', lifecyclestage: 'customer', contract_end_date: '2026-10-01' }));
    contacts(harness, 3, (i) => ({ firstname: `Early${i}`, company: 'Acme', lifecyclestage: 'customer', contract_end_date: '2026-02-01' }));
    contacts(harness, 3, (i) => ({ firstname: `NoCo${i}`, lifecyclestage: 'customer', contract_end_date: '2026-09-01' }));
    contacts(harness, 5, (i) => ({ firstname: `Lead${i}`, company: 'Acme', lifecyclestage: 'lead', contract_end_date: '2026-09-01' }));

    const run = await backfill(harness, { campaignId: 'bdr-intro', filter: 'lifecyclestage!=lead, contract_end_date>2026-06-30, company~', dryRun: true });

    expect(run.code).toBe(0);
    expect(run.out).toContain('6 contacts matched');
    expect(run.out).toContain('dry run: 4 would render, 2 would be skipped');
    expect(run.out).toMatch(/would be skipped: first_name: property firstname is a placeholder \("n\/a"\)/);
    const without = await backfill(harness, { campaignId: 'bdr-intro', filter: 'lifecyclestage=customer,company!~', dryRun: true });
    expect(without.out).toContain('3 contacts matched');
    const early = await backfill(harness, { campaignId: 'bdr-intro', filter: 'contract_end_date<2026-06-30', dryRun: true });
    expect(early.out).toContain('3 contacts matched');
  });
});

describe('reelay backfill over more than 10,000 records', () => {
  it('queues every record once, continuing after search stops at 10,000 results', async () => {
    const harness = await start({
      role: 'web', // store only: no workers render these
      sandbox: { hubspot: { searchPerSecond: 100 } },
      tweak: (config) => {
        config.hubspot.searchPerSecond = 100;
      },
    });
    const ids = contacts(harness, 10_250, (i) => ({ firstname: `P${i}`, lifecyclestage: 'customer' }));
    contacts(harness, 40, (i) => ({ firstname: `L${i}`, lifecyclestage: 'lead' }));

    const run = await backfill(harness, { campaignId: 'bdr-intro', filter: 'lifecyclestage=customer', dryRun: false });

    expect(run.code).toBe(0);
    expect(run.out).toContain('10250 contacts matched lifecyclestage=customer: 10250 render(s) queued');
    const rows = await harness.service.store.db.selectFrom('renders').select('object_id').execute();
    expect(rows).toHaveLength(10_250);
    expect(new Set(rows.map((r) => r.object_id))).toEqual(new Set(ids));
    // Two queries: the first reaches 10,000 results, the second continues after the last id.
    expect(harness.sandbox.hubspot.stats().calls.search).toBe(52);
  }, 120_000);
});

describe('reelay backfill refuses', () => {
  it('a filter it cannot read, before asking HubSpot anything', async () => {
    const harness = await start();
    const searches = () => harness.sandbox.hubspot.stats().calls.search ?? 0;
    await expect(backfill(harness, { campaignId: 'bdr-intro', filter: 'lifecyclestage', dryRun: true })).rejects.toThrow(UsageError);
    await expect(backfill(harness, { campaignId: 'bdr-intro', filter: 'lifecyclestage', dryRun: true })).rejects.toThrow(/--filter: cannot read "lifecyclestage"/);
    await expect(backfill(harness, { campaignId: 'nope', filter: 'a=b', dryRun: true })).rejects.toThrow(/no campaign nope/);
    expect(searches()).toBe(0);
  });

  it('a property HubSpot does not know: one line, exit 1', async () => {
    const harness = await start();
    const run = await backfill(harness, { campaignId: 'bdr-intro', filter: 'no_such_property=1', dryRun: false });

    expect(run.code).toBe(1);
    expect(run.out).toMatch(/^backfill stopped: hubspot 400 .*no_such_property/);
    expect(run.out).toContain('0 render(s) were queued before that; running the same backfill again is safe');
  });
});
