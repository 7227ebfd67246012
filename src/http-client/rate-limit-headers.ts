/** HubSpot's `X-HubSpot-RateLimit-*` headers, read for the engine's budgets. */

export interface RateLimitHeaders {
  max: number | undefined;
  remaining: number | undefined;
  intervalMs: number | undefined;
  daily: number | undefined;
  dailyRemaining: number | undefined;
}

function int(headers: Headers, name: string): number | undefined {
  const raw = headers.get(name);
  if (raw === null || !/^\s*\d+\s*$/.test(raw)) return undefined;
  return Number(raw);
}

/** Null when the answer carried none of them (search answers never do). */
export function readRateLimitHeaders(headers: Headers): RateLimitHeaders | null {
  const read: RateLimitHeaders = {
    max: int(headers, 'x-hubspot-ratelimit-max'),
    remaining: int(headers, 'x-hubspot-ratelimit-remaining'),
    intervalMs: int(headers, 'x-hubspot-ratelimit-interval-milliseconds'),
    daily: int(headers, 'x-hubspot-ratelimit-daily'),
    dailyRemaining: int(headers, 'x-hubspot-ratelimit-daily-remaining'),
  };
  return Object.values(read).every((v) => v === undefined) ? null : read;
}
