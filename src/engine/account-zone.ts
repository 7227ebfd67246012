/**
 * HubSpot resets an app's daily request count at midnight in the account's
 * time zone, not UTC. At start the zone is read once from account-info
 * (the client keeps the answer) and handed to the budget, and remembered in
 * the store. When account-info cannot be read, the zone last remembered is
 * used; failing that, or when HubSpot names a zone this runtime does not
 * know, the day stays UTC. Either way a warning says so.
 */
import { isTimeZone } from '../core/zoned-day.js';
import type { HubSpotClient } from '../hubspot/types.js';
import type { Logger } from '../observability/logger.js';
import type { HubSpotBudget } from './hubspot-budget.js';

/** The store's `meta` key holding the last zone read. */
export const ACCOUNT_ZONE_KEY = 'hubspot.account_time_zone';

/** Where the zone is remembered between runs (the store's `meta` table in `serve`). */
export interface ZoneMemory {
  get(): Promise<string | undefined>;
  set(zone: string): Promise<void>;
}

const FALLBACK = 'the daily HubSpot limit (hubspot.daily) is counted from midnight UTC instead';

/** The zone now in use by `budget`. Never throws. */
export async function learnDailyResetZone(deps: { hubspot: HubSpotClient; budget: HubSpotBudget; log: Logger; memory?: ZoneMemory }): Promise<string> {
  const { hubspot, budget, log, memory } = deps;
  let details;
  try {
    details = await budget.run('api', () => hubspot.accountDetails());
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    const remembered = await memory?.get().catch(() => undefined);
    if (remembered !== undefined && budget.useTimeZone(remembered)) {
      log.warn({ reason, timeZone: remembered }, `could not read the HubSpot account's time zone (account-info: ${reason}); using the one read before, ${remembered}`);
    } else {
      log.warn({ reason }, `could not read the HubSpot account's time zone (account-info: ${reason}); ${FALLBACK}`);
    }
    return budget.timeZone;
  }
  if (!isTimeZone(details.timeZone) || !budget.useTimeZone(details.timeZone)) {
    log.warn({ timeZone: details.timeZone }, `HubSpot names the account's time zone "${details.timeZone}", which this runtime does not know; ${FALLBACK}`);
    return budget.timeZone;
  }
  await memory?.set(details.timeZone).catch(() => undefined);
  log.info({ portalId: details.portalId, timeZone: details.timeZone }, `HubSpot's daily limit resets at midnight ${details.timeZone}`);
  return budget.timeZone;
}
