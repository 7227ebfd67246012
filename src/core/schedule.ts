/**
 * Scheduled triggers, the pure part: when a cron expression is due, which
 * due runs ("slots") to make after a gap, and the dates a run's search
 * filters name (`{{today+60d}}` is the slot's date, in the schedule's time
 * zone, plus 60 days).
 */
import { CronExpressionParser, type CronExpression } from 'cron-parser';
import type { ScheduleSpec } from '../config/schema.js';
import { ConfigError } from './errors.js';

export const DAY_MS = 86_400_000;

/** A cron expression and the zone its hours and days are read in. */
export interface CronTiming {
  cron: string;
  timezone: string;
}

export type ScheduleTiming = CronTiming & Pick<ScheduleSpec, 'catchUpDays'>;
export type ScheduleFilter = ScheduleSpec['filters'][number];

/** A filter as sent to HubSpot search, its placeholders resolved. */
export interface RenderedFilter {
  propertyName: string;
  operator: ScheduleFilter['operator'];
  value?: string;
  highValue?: string;
  values?: string[];
}

// `H` (hashed values) picks a random minute unless seeded: slots would move between ticks.
const HASHED = /(^|,)H(?=$|[(/,])/i;
const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;
const TODAY = /^today(?:\s*([+-])\s*(\d{1,5})\s*d)?$/i;

export function isTimeZone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}

/** Why a cron expression cannot be scheduled in `timezone`, or undefined when it can. */
export function cronProblem(timing: CronTiming): string | undefined {
  if (!isTimeZone(timing.timezone)) return `unknown time zone ${JSON.stringify(timing.timezone)} (use an IANA name such as Europe/Berlin)`;
  const fields = timing.cron.trim().split(/\s+/);
  if (fields.length !== 5) {
    return `${JSON.stringify(timing.cron)} has ${fields.length} fields; a cron expression has five (minute hour day-of-month month day-of-week)`;
  }
  if (fields.some((field) => HASHED.test(field))) return `${JSON.stringify(timing.cron)}: H (hashed values) is not supported`;
  try {
    CronExpressionParser.parse(timing.cron, { tz: timing.timezone }).next();
  } catch (err) {
    return `${JSON.stringify(timing.cron)} is not a valid cron expression: ${err instanceof Error ? err.message : String(err)}`;
  }
  return undefined;
}

function parse(timing: CronTiming, currentDate: number): CronExpression {
  const problem = cronProblem(timing);
  if (problem !== undefined) throw new ConfigError(problem);
  return CronExpressionParser.parse(timing.cron, { tz: timing.timezone, currentDate });
}

/** The slot instants in (from, to], oldest first, at most `max` of them. */
export function dueSlots(cron: string, timezone: string, from: number, to: number, max: number): number[] {
  const slots: number[] = [];
  if (to <= from || max <= 0) return slots;
  const expression = parse({ cron, timezone }, from);
  while (slots.length < max) {
    const slot = expression.next().getTime();
    if (slot > to) break;
    slots.push(slot);
  }
  return slots;
}

/** The last slot at or before `at`. */
export function latestSlot(timing: CronTiming, at: number): number {
  return parse(timing, at + 1).prev().getTime();
}

export interface RunPlan {
  /** Slots to run now, oldest first. */
  slots: number[];
  /** The mark once every slot in `slots` ran: everything up to it is done. */
  markAfter: number;
  /** More due slots remain after `slots` (the batch was capped). */
  more: boolean;
  /** Due slots left out because they are older than `catchUpDays` (counted up to `max`). */
  skipped: number;
}

/**
 * Which slots to run at `now`, given the mark (undefined: the schedule has
 * never run). The rules:
 * - first start: only the latest slot, and only if it is within
 *   `catchUpDays` (nothing older is "missed": the campaign is new);
 * - otherwise every slot after the mark, except those older than
 *   `catchUpDays` (runs missed while the service was down);
 * - the latest slot after the mark always runs, even when `catchUpDays` is 0
 *   or shorter than the gap: it is the current run, not a missed one.
 */
export function planRuns(timing: ScheduleTiming, mark: number | undefined, now: number, max: number): RunPlan {
  const horizon = now - timing.catchUpDays * DAY_MS;
  if (mark === undefined) {
    const latest = latestSlot(timing, now);
    return { slots: latest > horizon ? [latest] : [], markAfter: now, more: false, skipped: 0 };
  }
  const due = dueSlots(timing.cron, timing.timezone, Math.max(mark, horizon), now, max + 1);
  const skipped = mark < horizon ? dueSlots(timing.cron, timing.timezone, mark, horizon, max).length : 0;
  if (due.length > max) {
    const slots = due.slice(0, max);
    return { slots, markAfter: slots[slots.length - 1] as number, more: true, skipped };
  }
  if (due.length === 0 && skipped > 0) {
    const latest = latestSlot(timing, now);
    return { slots: [latest], markAfter: now, more: false, skipped: skipped - 1 };
  }
  return { slots: due, markAfter: now, more: false, skipped };
}

/** The calendar date of `instant` in `timezone`, as UTC midnight of that date. */
function localMidnightUtc(instant: number, timezone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: timezone, year: 'numeric', month: 'numeric', day: 'numeric' }).formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((p) => p.type === type)?.value);
  return Date.UTC(part('year'), part('month') - 1, part('day'));
}

/** Problems with the placeholders of a filter value (empty when it is fine). */
export function filterValueProblems(value: string): string[] {
  const problems: string[] = [];
  for (const match of value.matchAll(PLACEHOLDER)) {
    if (!TODAY.test(match[1] ?? '')) problems.push(`unknown placeholder ${match[0]} (use {{today}}, {{today+60d}} or {{today-7d}})`);
  }
  return problems;
}

/**
 * Resolves `{{today}}`, `{{today+60d}}`, `{{today-7d}}` to `YYYY-MM-DD`: the
 * slot's date in `timezone`, moved by whole days. HubSpot date properties
 * hold midnight UTC of their date, and search matches them by that string.
 */
export function renderFilterValue(value: string, slot: number, timezone: string): string {
  const today = localMidnightUtc(slot, timezone);
  return value.replace(PLACEHOLDER, (whole, expression: string) => {
    const match = TODAY.exec(expression);
    if (!match) throw new ConfigError(`unknown placeholder ${whole} (use {{today}}, {{today+60d}} or {{today-7d}})`);
    const days = match[1] === undefined ? 0 : (match[1] === '-' ? -1 : 1) * Number(match[2]);
    return new Date(today + days * DAY_MS).toISOString().slice(0, 10);
  });
}

/** The schedule's filters for one slot, in HubSpot search's shape. */
export function renderScheduleFilters(filters: readonly ScheduleFilter[], slot: number, timezone: string): RenderedFilter[] {
  return filters.map((filter) => {
    const rendered: RenderedFilter = { propertyName: filter.property, operator: filter.operator };
    if (filter.value !== undefined) rendered.value = renderFilterValue(filter.value, slot, timezone);
    if (filter.highValue !== undefined) rendered.highValue = renderFilterValue(filter.highValue, slot, timezone);
    if (filter.values !== undefined) rendered.values = filter.values.map((v) => renderFilterValue(v, slot, timezone));
    return rendered;
  });
}

/** Every problem with a campaign's schedule, each with the key it is under (for config loading). */
export function scheduleProblems(schedule: ScheduleSpec): { path: (string | number)[]; message: string }[] {
  const problems: { path: (string | number)[]; message: string }[] = [];
  const cron = cronProblem(schedule);
  if (cron !== undefined) problems.push({ path: isTimeZone(schedule.timezone) ? ['cron'] : ['timezone'], message: cron });
  schedule.filters.forEach((filter, i) => {
    for (const key of ['value', 'highValue'] as const) {
      const text = filter[key];
      if (text !== undefined) for (const message of filterValueProblems(text)) problems.push({ path: ['filters', i, key], message });
    }
    filter.values?.forEach((text, j) => {
      for (const message of filterValueProblems(text)) problems.push({ path: ['filters', i, 'values', j], message });
    });
  });
  return problems;
}
