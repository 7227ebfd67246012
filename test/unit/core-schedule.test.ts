import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.js';
import {
  cronProblem,
  DAY_MS,
  dueSlots,
  latestSlot,
  planRuns,
  renderFilterValue,
  renderScheduleFilters,
  scheduleProblems,
} from '../../src/core/schedule.js';

const at = (iso: string): number => Date.parse(iso);
const iso = (slots: number[]): string[] => slots.map((s) => new Date(s).toISOString());
const daily = { cron: '0 9 * * *', timezone: 'UTC', catchUpDays: 7 };

describe('dueSlots', () => {
  it('lists a daily cron\'s slots in (from, to], oldest first', () => {
    const slots = dueSlots('0 9 * * *', 'UTC', at('2026-03-01T09:00:00Z'), at('2026-03-04T09:00:00Z'), 100);
    expect(iso(slots)).toEqual(['2026-03-02T09:00:00.000Z', '2026-03-03T09:00:00.000Z', '2026-03-04T09:00:00.000Z']);
  });

  it('stops at max, keeping the oldest', () => {
    const slots = dueSlots('*/15 * * * *', 'UTC', at('2026-03-01T00:00:00Z'), at('2026-03-02T00:00:00Z'), 3);
    expect(iso(slots)).toEqual(['2026-03-01T00:15:00.000Z', '2026-03-01T00:30:00.000Z', '2026-03-01T00:45:00.000Z']);
  });

  it('is empty for an empty or reversed span', () => {
    expect(dueSlots('0 9 * * *', 'UTC', at('2026-03-01T10:00:00Z'), at('2026-03-02T08:59:59Z'), 10)).toEqual([]);
    expect(dueSlots('0 9 * * *', 'UTC', at('2026-03-05T00:00:00Z'), at('2026-03-01T00:00:00Z'), 10)).toEqual([]);
  });

  it('reads hours in the schedule\'s time zone, across a daylight-saving change', () => {
    const slots = dueSlots('0 9 * * *', 'America/New_York', at('2026-03-06T00:00:00Z'), at('2026-03-10T00:00:00Z'), 10);
    // 09:00 EST is 14:00 UTC; from 8 March (EDT) it is 13:00 UTC.
    expect(iso(slots)).toEqual(['2026-03-06T14:00:00.000Z', '2026-03-07T14:00:00.000Z', '2026-03-08T13:00:00.000Z', '2026-03-09T13:00:00.000Z']);
  });

  it('refuses what it cannot schedule with a ConfigError', () => {
    expect(() => dueSlots('0 9 * *', 'UTC', 0, DAY_MS, 1)).toThrow(ConfigError);
    expect(() => dueSlots('0 9 * * *', 'Mars/Olympus', 0, DAY_MS, 1)).toThrow(/unknown time zone/);
  });
});

describe('cronProblem', () => {
  it('accepts five-field expressions with names, steps, L and #', () => {
    for (const cron of ['0 9 * * *', '0 9 * * MON-FRI', '*/15 8-18 * * *', '0 6 L * *', '0 9 * * 1#1']) {
      expect(cronProblem({ cron, timezone: 'Europe/Berlin' }), cron).toBeUndefined();
    }
  });

  it('names what is wrong', () => {
    expect(cronProblem({ cron: '0 0 9 * * *', timezone: 'UTC' })).toMatch(/6 fields; a cron expression has five/);
    expect(cronProblem({ cron: '61 9 * * *', timezone: 'UTC' })).toMatch(/not a valid cron expression/);
    expect(cronProblem({ cron: 'H 9 * * *', timezone: 'UTC' })).toMatch(/H \(hashed values\) is not supported/);
    expect(cronProblem({ cron: '0 9 30 2 *', timezone: 'UTC' })).toMatch(/not a valid cron expression/);
    expect(cronProblem({ cron: '0 9 * * *', timezone: 'Nowhere/Land' })).toMatch(/unknown time zone "Nowhere\/Land"/);
  });
});

describe('latestSlot', () => {
  it('is the last slot at or before the instant', () => {
    expect(latestSlot(daily, at('2026-03-02T09:00:00Z'))).toBe(at('2026-03-02T09:00:00Z'));
    expect(latestSlot(daily, at('2026-03-02T08:59:59Z'))).toBe(at('2026-03-01T09:00:00Z'));
  });
});

describe('planRuns', () => {
  it('on the very first start runs only the latest slot, and marks now', () => {
    const now = at('2026-03-02T10:00:00Z');
    expect(planRuns(daily, undefined, now, 24)).toEqual({ slots: [at('2026-03-02T09:00:00Z')], markAfter: now, more: false, skipped: 0 });
  });

  it('on the very first start runs nothing older than catchUpDays', () => {
    const monthly = { cron: '0 9 1 * *', timezone: 'UTC', catchUpDays: 7 };
    const now = at('2026-03-20T10:00:00Z');
    expect(planRuns(monthly, undefined, now, 24)).toEqual({ slots: [], markAfter: now, more: false, skipped: 0 });
  });

  it('runs nothing between slots', () => {
    const mark = at('2026-03-02T10:00:00Z');
    expect(planRuns(daily, mark, mark + 30_000, 24).slots).toEqual([]);
  });

  it('catches up the slots missed while down, oldest first', () => {
    const plan = planRuns(daily, at('2026-03-02T10:00:00Z'), at('2026-03-05T10:00:00Z'), 24);
    expect(iso(plan.slots)).toEqual(['2026-03-03T09:00:00.000Z', '2026-03-04T09:00:00.000Z', '2026-03-05T09:00:00.000Z']);
    expect(plan).toMatchObject({ markAfter: at('2026-03-05T10:00:00Z'), more: false, skipped: 0 });
  });

  it('bounds the catch-up by catchUpDays and counts what it leaves out', () => {
    const plan = planRuns({ ...daily, catchUpDays: 2 }, at('2026-03-01T10:00:00Z'), at('2026-03-11T10:00:00Z'), 24);
    expect(iso(plan.slots)).toEqual(['2026-03-10T09:00:00.000Z', '2026-03-11T09:00:00.000Z']);
    expect(plan.skipped).toBe(8);
  });

  it('with catchUpDays 0 still runs the current slot, and only that one', () => {
    const noCatchUp = { ...daily, catchUpDays: 0 };
    const tick = planRuns(noCatchUp, at('2026-03-02T08:59:30Z'), at('2026-03-02T09:00:20Z'), 24);
    expect(iso(tick.slots)).toEqual(['2026-03-02T09:00:00.000Z']);
    const afterDowntime = planRuns(noCatchUp, at('2026-03-02T10:00:00Z'), at('2026-03-06T08:00:00Z'), 24);
    expect(iso(afterDowntime.slots)).toEqual(['2026-03-05T09:00:00.000Z']);
    expect(afterDowntime.skipped).toBe(2);
    expect(planRuns(noCatchUp, at('2026-03-02T10:00:00Z'), at('2026-03-02T20:00:00Z'), 24).slots).toEqual([]);
  });

  it('caps a long catch-up per call and marks the last slot it returns', () => {
    const quarterHourly = { cron: '*/15 * * * *', timezone: 'UTC', catchUpDays: 1 };
    const plan = planRuns(quarterHourly, at('2026-03-01T00:00:00Z'), at('2026-03-01T06:00:00Z'), 4);
    expect(plan.slots).toHaveLength(4);
    expect(plan.more).toBe(true);
    expect(plan.markAfter).toBe(at('2026-03-01T01:00:00Z'));
    const next = planRuns(quarterHourly, plan.markAfter, at('2026-03-01T06:00:00Z'), 4);
    expect(next.slots[0]).toBe(at('2026-03-01T01:15:00Z'));
  });
});

describe('renderFilterValue', () => {
  const slot = at('2026-03-02T09:00:00Z');

  it('resolves today and day offsets to YYYY-MM-DD', () => {
    expect(renderFilterValue('{{today}}', slot, 'UTC')).toBe('2026-03-02');
    expect(renderFilterValue('{{today+60d}}', slot, 'UTC')).toBe('2026-05-01');
    expect(renderFilterValue('{{ today - 7d }}', slot, 'UTC')).toBe('2026-02-23');
    expect(renderFilterValue('{{today+365d}}', at('2027-12-31T12:00:00Z'), 'UTC')).toBe('2028-12-30');
  });

  it('takes the date in the schedule\'s time zone', () => {
    const lateEvening = at('2026-03-02T23:30:00Z');
    expect(renderFilterValue('{{today}}', lateEvening, 'UTC')).toBe('2026-03-02');
    expect(renderFilterValue('{{today}}', lateEvening, 'Europe/Berlin')).toBe('2026-03-03');
    expect(renderFilterValue('{{today+1d}}', at('2026-03-02T03:00:00Z'), 'America/Los_Angeles')).toBe('2026-03-02');
  });

  it('leaves text without placeholders alone and rejects unknown ones', () => {
    expect(renderFilterValue('customer', slot, 'UTC')).toBe('customer');
    expect(() => renderFilterValue('{{tomorrow}}', slot, 'UTC')).toThrow(/unknown placeholder \{\{tomorrow\}\}/);
  });
});

describe('renderScheduleFilters', () => {
  it('gives HubSpot search filters for the slot', () => {
    const filters = renderScheduleFilters(
      [
        { property: 'contract_end_date', operator: 'BETWEEN', value: '{{today+60d}}', highValue: '{{today+66d}}' },
        { property: 'lifecyclestage', operator: 'IN', values: ['customer', 'evangelist'] },
        { property: 'email', operator: 'HAS_PROPERTY' },
      ],
      at('2026-03-02T09:00:00Z'),
      'UTC',
    );
    expect(filters).toEqual([
      { propertyName: 'contract_end_date', operator: 'BETWEEN', value: '2026-05-01', highValue: '2026-05-07' },
      { propertyName: 'lifecyclestage', operator: 'IN', values: ['customer', 'evangelist'] },
      { propertyName: 'email', operator: 'HAS_PROPERTY' },
    ]);
  });
});

describe('scheduleProblems', () => {
  it('names each bad key', () => {
    const problems = scheduleProblems({
      cron: '0 9 * *',
      timezone: 'UTC',
      catchUpDays: 7,
      filters: [{ property: 'contract_end_date', operator: 'IN', values: ['{{today}}', '{{yesterday}}'] }],
    });
    expect(problems.map((p) => p.path.join('.'))).toEqual(['cron', 'filters.0.values.1']);
  });

  it('is empty for a good schedule', () => {
    expect(scheduleProblems({ ...daily, filters: [{ property: 'contract_end_date', operator: 'EQ', value: '{{today+60d}}' }] })).toEqual([]);
  });
});
