/**
 * `doctor` for `hubspot.intake: journal`: the client-credentials grant works
 * and carries the journal scopes, every journal subscription the campaigns
 * need exists, and the journal answers. Reads only (the grant issues a
 * token; nothing is created). Also what replaces the webhook and public URL
 * checks when Reelay runs with no inbound traffic at all.
 */
import type { ReelayEnv } from '../config/env.js';
import type { ReelayConfig } from '../config/schema.js';
import type { Clock } from '../core/clock.js';
import { isProviderError } from '../core/errors.js';
import { JOURNAL_SCOPES } from '../hubspot/client-credentials.js';
import type { HubSpotClient } from '../hubspot/types.js';
import { journalClientFor } from '../setup/journal-client-for.js';
import { ensureJournalSubscriptions, journalPortalId } from '../setup/journal-subscriptions.js';
import { providerFix } from '../setup/provider-fix.js';
import { fail, pass, type CheckOutcome } from './outcome.js';

const SETUP_FIX = 'run `reelay setup` (it creates the journal subscriptions, and running it again changes nothing)';

export async function checkJournal(env: ReelayEnv, config: ReelayConfig, hubspot: HubSpotClient | null, clock: Clock): Promise<CheckOutcome[]> {
  if (config.hubspot.intake !== 'journal') return [];
  if (env.hubspotClientId === undefined || env.hubspotClientSecret === undefined) {
    const missing = [env.hubspotClientId === undefined ? 'HUBSPOT_CLIENT_ID' : null, env.hubspotClientSecret === undefined ? 'HUBSPOT_CLIENT_SECRET' : null].filter(Boolean).join(' and ');
    return [fail(`${missing} not set: the Webhooks Journal needs the app's client-credentials token`, "set them to the client id and secret of your HubSpot app (its Auth settings)")];
  }
  const { token, journal } = journalClientFor(env, config, { clock });
  const outcomes: CheckOutcome[] = [];

  try {
    const granted = await token.grant();
    const minutes = Math.round((granted.expiresAt - clock.now()) / 60_000);
    outcomes.push(pass(`client-credentials token granted to HUBSPOT_CLIENT_ID (valid ${minutes} min)`));
    if (granted.scopes === undefined) outcomes.push(pass('HubSpot did not list the granted scopes; the journal calls below show whether they suffice'));
    else {
      const missing = JOURNAL_SCOPES.filter((s) => !granted.scopes?.includes(s));
      outcomes.push(
        missing.length === 0
          ? pass(`scopes granted: ${JOURNAL_SCOPES.join(', ')}`)
          : fail(`the token lacks ${missing.join(', ')}`, "add these scopes to the HubSpot app's client-credentials settings, then run doctor again"),
      );
    }
  } catch (err) {
    if (!isProviderError(err)) throw err;
    outcomes.push(fail(`no client-credentials token: ${err.message}`, err.failureClass === 'blocking' ? 'check HUBSPOT_CLIENT_ID and HUBSPOT_CLIENT_SECRET, and that the app may use the Webhooks Journal (see README, "Webhooks Journal: no public URL")' : providerFix(err)));
    return outcomes;
  }

  try {
    const portalId = await journalPortalId(config, async () => {
      if (hubspot === null) throw new Error('set hubspot.portalId or HUBSPOT_ACCESS_TOKEN so the portal id can be read');
      return hubspot.accountDetails();
    });
    const checks = await ensureJournalSubscriptions(journal, config, portalId, { create: false });
    if (checks.length === 0) outcomes.push(pass('no campaign has a trigger: no journal subscription needed'));
    for (const check of checks) {
      const what = `journal subscription for ${check.planned.objectType} (${check.planned.objectTypeId}, ${check.planned.actions.join('+')} on ${check.planned.properties.join(', ')})`;
      if ('id' in check) outcomes.push(pass(`${what} exists (${check.id}, portal ${portalId})`));
      else if (check.status === 'missing') outcomes.push(fail(`${what} is missing: those triggers would never arrive`, SETUP_FIX));
      else outcomes.push(fail(`${what} lacks ${check.lacking.join(', ')}`, SETUP_FIX));
    }
    const earliest = await journal.earliest();
    outcomes.push(pass(earliest === null ? 'the journal answers (no entry kept yet)' : `the journal answers (earliest entry kept: ${earliest.offset})`));
  } catch (err) {
    if (!isProviderError(err)) {
      outcomes.push(fail(`cannot check the journal subscriptions: ${err instanceof Error ? err.message : String(err)}`, 'set hubspot.portalId in reelay.yaml'));
      return outcomes;
    }
    outcomes.push(fail(`cannot read the Webhooks Journal: ${err.describe()}`, providerFix(err, JOURNAL_SCOPES.join(', '))));
  }
  return outcomes;
}

/** With the journal and no PUBLIC_URL nothing calls Reelay: no webhook to check. */
export function noInbound(env: ReelayEnv, config: ReelayConfig): boolean {
  return config.hubspot.intake === 'journal' && env.publicUrl === undefined;
}

export function noInboundWebhookChecks(): CheckOutcome[] {
  return [pass('no webhooks needed: HubSpot events come from the Webhooks Journal and HeyGen renders are polled')];
}

export function noInboundPublicUrlCheck(config: ReelayConfig): CheckOutcome {
  return config.heygen.link === 'stable'
    ? fail('PUBLIC_URL is not set, and heygen.link: stable writes /v/ links that need it', 'set heygen.link: share (or raw) to run with no public address, or set PUBLIC_URL')
    : pass(`PUBLIC_URL not needed: no inbound traffic (journal intake, HeyGen polled, heygen.link: ${config.heygen.link})`);
}
