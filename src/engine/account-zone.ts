/**
 * HubSpot resets an app's daily request count at midnight in the account's
 * time zone, not UTC. At start the zone is read once from account-info
 * (the client keeps the answer) and handed to the budget; when it cannot be
 * read, or names a zone this runtime does not know, the day stays UTC and a
 * warning says so.
 */
import type { HubSpotClient } from '../hubspot/types.js';
import type { Logger } from '../observability/logger.js';
import type { HubSpotBudget } from './hubspot-budget.js';

const FALLBACK = 'the daily HubSpot limit (hubspot.daily) is counted from midnight UTC instead';

/** The zone now in use by `budget`. Never throws. */
export async function learnDailyResetZone(deps: { hubspot: HubSpotClient; budget: HubSpotBudget; log: Logger }): Promise<string> {
  const { hubspot, budget, log } = deps;
  let details;
  try {
    details = await budget.run('api', () => hubspot.accountDetails());
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    log.warn({ reason }, `could not read the HubSpot account's time zone (account-info: ${reason}); ${FALLBACK}`);
    return budget.timeZone;
  }
  if (!budget.useTimeZone(details.timeZone)) {
    log.warn({ timeZone: details.timeZone }, `HubSpot names the account's time zone "${details.timeZone}", which this runtime does not know; ${FALLBACK}`);
    return budget.timeZone;
  }
  log.info({ portalId: details.portalId, timeZone: details.timeZone }, `HubSpot's daily limit resets at midnight ${details.timeZone}`);
  return budget.timeZone;
}
