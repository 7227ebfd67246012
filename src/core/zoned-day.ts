/**
 * Calendar days in a named time zone (IANA, e.g. `America/New_York`), with
 * the platform's Intl data: no dependency, and daylight-saving days of 23
 * or 25 hours come out right because nothing assumes a day is 24 hours.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Whether Intl knows `timeZone` (`UTC`, `America/New_York`, `US/Eastern`, ...). */
export function isTimeZone(timeZone: string): boolean {
  if (timeZone.trim() === '') return false;
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The calendar date at `nowMs` in `timeZone`, as `YYYY-MM-DD`. Throws a RangeError for an unknown zone. */
export function zonedDate(nowMs: number, timeZone: string): string {
  const parts = formatter(timeZone).formatToParts(new Date(nowMs));
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** Longer than any civil day (23-25 h, or 47 h where a zone once skipped a date). */
const SEARCH_SPAN_MS = 50 * 3_600_000;

/**
 * Milliseconds from `nowMs` to the start of the next calendar day in
 * `timeZone` (its midnight, or the first instant of the new date where a
 * clock change skips midnight). Found by bisection on the date Intl gives,
 * so it is exact to the millisecond.
 */
export function msUntilNextMidnight(nowMs: number, timeZone: string): number {
  const today = zonedDate(nowMs, timeZone);
  let lo = nowMs; // still today
  let hi = nowMs + SEARCH_SPAN_MS; // another day
  while (hi - lo > 1) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (zonedDate(mid, timeZone) === today) lo = mid;
    else hi = mid;
  }
  return hi - nowMs;
}
