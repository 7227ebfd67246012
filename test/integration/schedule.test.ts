/**
 * Scheduled triggers across a simulated calendar: a renewal campaign whose
 * daily search finds contacts whose contract ends in 60 days. What is
 * asserted is what users see: the CRM record's properties, the renders an
 * operator lists, and the HeyGen ledger (what was billed).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../src/core/clock.js';
import { searchMatches, scheduleTick } from '../../src/engine/scheduler.js';
import { deleteMeta } from '../../src/store/meta.js';
import { testDialects } from '../helpers/databases.js';
import { startHarness, TEST_CONFIG, type Harness } from '../helpers/harness.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Real time, shifted: whole days can be skipped while renders still take their real milliseconds. */
class ShiftedClock implements Clock {
  private offset: number;
  constructor(start: number) {
    this.offset = start - Date.now();
  }
  now(): number {
    return Date.now() + this.offset;
  }
  skip(ms: number): void {
    this.offset += ms;
  }
}

function renewalConfig(catchUpDays: number): string {
  return `
heygen: { api: v3, concurrency: 3, callbackGrace: 3s, pollEvery: 1s }
hubspot: { burst: 100, batchDelay: 20ms }
worker: { idleDelay: 50ms, retryBase: 100ms, retryCap: 2s }
campaigns:
  - id: renewal
    object: contacts
    template: tpl_renewal
    title: "Renewal for {{firstname}}"
    variables:
      first_name: { property: firstname, required: true }
      company_name: { property: company, fallback: "your team" }
      renewal_date: { property: contract_end_date, required: true }
      usage_hours: { property: usage_hours, from: company, fallback: "many" }
    schedule:
      cron: "0 9 * * *"
      timezone: UTC
      catchUpDays: ${catchUpDays}
      filters:
        - { property: contract_end_date, operator: EQ, value: "{{today+60d}}" }
`;
}

/** Day D: 2 March 2026 (00:00 UTC); the campaign's search runs daily at 09:00. */
const DAY_D = Date.UTC(2026, 2, 2);

describe.each(await testDialects())('scheduled triggers on %s', (dialect) => {
  let h: Harness;
  let clock: ShiftedClock;
  afterEach(async () => h?.stop());

  async function start(catchUpDays: number, at: number): Promise<void> {
    clock = new ShiftedClock(at);
    h = await startHarness({ dialect, config: renewalConfig(catchUpDays), clock, sandbox: { hubspot: { clock }, heygen: { clock } } });
    // The very first run only records that scheduling starts now (the CRM is empty yet).
    await runSchedule();
  }

  async function runSchedule(): Promise<void> {
    while ((await scheduleTick(h.service.ctx)) === 'busy');
  }

  function contact(firstname: string, contractEnd: string): string {
    return h.sandbox.hubspot.crm.create('contacts', { firstname, company: `${firstname} Co`, contract_end_date: contractEnd }).id;
  }

  function props(id: string): Record<string, string | null | undefined> {
    return h.sandbox.hubspot.crm.get('contacts', id)?.properties ?? {};
  }

  async function completed(id: string, jobOtherThan?: string): Promise<Record<string, string | null | undefined>> {
    return h.waitFor(
      async () => {
        const p = props(id);
        return p.heygen_render_status === 'COMPLETED' && p.heygen_job_id !== jobOtherThan ? p : undefined;
      },
      20_000,
      `contact ${id} to show a COMPLETED video`,
    );
  }

  const billedFor = (id: string): string[] =>
    h.sandbox.heygen
      .ledger()
      .filter((e) => e.billed && e.variables.first_name === props(id).firstname)
      .map((e) => e.variables.renewal_date as string);

  async function listedRenders(): Promise<number> {
    const row = await h.service.store.db.selectFrom('renders').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  it('renders a contact once per contract term, and again for the next term', async () => {
    await start(7, DAY_D + 8 * HOUR_MS);
    const ada = contact('Ada', '2026-05-01');
    const bob = contact('Bob', '2026-05-01');
    const cy = contact('Cy', '2026-05-02');

    // Day D, 10:00: the 09:00 run searches for contracts ending on D+60 = 1 May.
    clock.skip(2 * HOUR_MS);
    await runSchedule();
    const adaFirst = await completed(ada);
    await completed(bob);
    await h.settled();
    expect(billedFor(ada)).toEqual(['2026-05-01']);
    expect(billedFor(bob)).toEqual(['2026-05-01']);
    expect(props(cy).heygen_render_status).toBeUndefined();

    // Later the same day nothing is due; and a run made again (its mark lost, as in a crash) enqueues nothing.
    clock.skip(HOUR_MS);
    await runSchedule();
    await deleteMeta(h.service.store, 'schedule:renewal');
    await runSchedule();
    await h.settled();
    expect(h.sandbox.heygen.ledger().filter((e) => e.billed)).toHaveLength(2);
    expect(await listedRenders()).toBe(2);
    expect(props(ada).heygen_job_id).toBe(adaFirst.heygen_job_id);

    // Ada renews; a year later her new term comes up (D+365 = 2 March 2027, contract ends 1 May 2027).
    h.sandbox.hubspot.crm.update('contacts', ada, { contract_end_date: '2027-05-01' });
    clock.skip(365 * DAY_MS - HOUR_MS);
    await runSchedule();
    const adaSecond = await completed(ada, adaFirst.heygen_job_id as string);
    await h.settled();
    expect(billedFor(ada)).toEqual(['2026-05-01', '2027-05-01']);
    expect(billedFor(bob)).toEqual(['2026-05-01']);
    expect(adaSecond.heygen_video_url).toMatch(new RegExp(`^${h.env.publicUrl}/v/`));
    expect(props(cy).heygen_render_status).toBeUndefined();
  });

  it('makes up the runs missed while down, back to catchUpDays', async () => {
    await start(2, DAY_D + 10 * HOUR_MS);
    // Each contract ends 60 days after one of the next three days' runs.
    const missedTooLongAgo = contact('Early', '2026-05-02'); // the 3 March run
    const missed = contact('Missed', '2026-05-03'); // the 4 March run
    const current = contact('Current', '2026-05-04'); // the 5 March run

    // Down from 2 March 10:00 to 5 March 10:00: the 3, 4 and 5 March runs did not happen.
    clock.skip(3 * DAY_MS);
    await runSchedule();
    await completed(missed);
    await completed(current);
    await h.settled();
    expect(billedFor(missed)).toEqual(['2026-05-03']);
    expect(billedFor(current)).toEqual(['2026-05-04']);
    expect(props(missedTooLongAgo).heygen_render_status).toBeUndefined();
    expect(h.logs()).toMatch(/campaign renewal: 1 scheduled run\(s\) missed more than catchUpDays \(2\) ago are not made up/);
  });
});

describe('scheduled search paging', () => {
  let h: Harness | undefined;
  afterEach(async () => h?.stop());

  it('reaches every match past HubSpot\'s 10,000-result cap', async () => {
    h = await startHarness({
      config: TEST_CONFIG,
      tweak: (config) => {
        config.hubspot.searchPerSecond = 100;
      },
      sandbox: { hubspot: { searchPerSecond: 100 } },
    });
    const crm = h.sandbox.hubspot.crm;
    const expected = new Set<string>();
    for (let i = 0; i < 10_050; i += 1) expected.add(crm.create('contacts', { firstname: `R${i}`, contract_end_date: '2026-05-01' }).id);
    for (let i = 0; i < 20; i += 1) crm.create('contacts', { firstname: `O${i}`, contract_end_date: '2026-05-02' });

    const found: string[] = [];
    const filters = [{ propertyName: 'contract_end_date', operator: 'EQ' as const, value: '2026-05-01' }];
    for await (const ids of searchMatches(h.service.ctx, { id: 'paging', object: 'contacts' }, filters)) found.push(...ids);

    expect(found).toHaveLength(10_050);
    expect(new Set(found)).toEqual(expected);
  });
});
