/**
 * `reelay setup`: creates what Reelay needs in HubSpot and HeyGen, and
 * prints what only the user can create. Safe to run again: everything is
 * read first, nothing is duplicated, and a property that exists with the
 * wrong type is reported, never altered (it may hold a customer's data).
 */
import type { ReelayEnv } from '../config/env.js';
import type { ReelayConfig } from '../config/schema.js';
import { systemClock, type Clock } from '../core/clock.js';
import { isProviderError } from '../core/errors.js';
import { objectTypeInfo } from '../core/object-types.js';
import type { HeyGenClient } from '../heygen/client.js';
import type { HubSpotClient } from '../hubspot/types.js';
import { ensureCrmProperties, propertySetting, writebackObjects, type PropertyCheck } from './crm-properties.js';
import { ensureHeyGenWebhook, heygenWebhookUrl, type WebhookSetup } from './heygen-webhook.js';
import { hubspotInstructions, PUBLIC_URL_PLACEHOLDER, subscriptionLines, workflowLines } from './hubspot-instructions.js';
import { ensurePropertyGroups } from './property-groups.js';
import { journalClientFor } from './journal-client-for.js';
import { ensureJournalSubscriptions, journalPortalId } from './journal-subscriptions.js';
import { providerFix } from './provider-fix.js';
import { heygenClientFor, hubspotClientFor } from './provider-clients.js';
import { badLine, detailLines, heading, okLine, type TextOut } from './report-lines.js';

export interface SetupOptions {
  env: ReelayEnv;
  config: ReelayConfig;
  out: TextOut;
  clock?: Clock;
}

/** Returns the exit code: 0 when everything is in place, 1 when something needs the user. */
export async function runSetup(opts: SetupOptions): Promise<number> {
  const { env, config, out } = opts;
  const hubspot = hubspotClientFor(env, config, { clock: opts.clock ?? systemClock });
  const heygen = heygenClientFor(env, config);

  let problems = await setupProperties(hubspot, config, out);
  const journalMode = config.hubspot.intake === 'journal';
  if (journalMode) problems += await setupJournalSubscriptions(env, config, hubspot, out, opts.clock ?? systemClock);
  if (journalMode && env.publicUrl === undefined) {
    heading(out, 'HeyGen webhook endpoint');
    okLine(out, 'PUBLIC_URL is not set: no webhook registered; Reelay polls HeyGen for render status (heygen.pollEvery)');
  } else problems += await setupHeyGenWebhook(heygen, config, env.publicUrl, out);
  printHubSpotInstructions(config, env.publicUrl, out);
  out.write(problems === 0 ? '\nsetup complete\n' : `\nsetup finished with ${problems} problem(s) to fix (see above)\n`);
  return problems === 0 ? 0 : 1;
}

function printPropertyCheck(out: TextOut, config: ReelayConfig, check: PropertyCheck): number {
  const what = `${check.objectType}.${check.name}`;
  switch (check.status) {
    case 'created':
      okLine(out, `${what} created`);
      return 0;
    case 'exists':
      okLine(out, `${what} already there`);
      return 0;
    case 'wrong_type':
      badLine(
        out,
        `${what} ${check.detail ?? 'has the wrong type'}: left as it is`,
        `it may hold data, so setup never changes it: set ${propertySetting(config, check.name)} in reelay.yaml to an unused name (or change the property in HubSpot), then run setup again`,
      );
      return 1;
    case 'missing_options':
      badLine(out, `${what} ${check.detail ?? 'lacks options'}: left as it is`, 'add the option(s) to the property in HubSpot (Settings → Properties), with exactly these internal values');
      return 1;
    case 'missing':
      badLine(out, `${what} is missing`, 'run `reelay setup` again');
      return 1;
  }
}

async function setupProperties(client: HubSpotClient, config: ReelayConfig, out: TextOut): Promise<number> {
  const objects = writebackObjects(config);
  heading(out, `HubSpot properties (group ${config.hubspot.properties.group}${objects.length === 0 ? '' : ` on ${objects.join(', ')}`})`);
  if (objects.length === 0) {
    okLine(out, 'no campaigns configured: nothing to create');
    return 0;
  }
  try {
    for (const group of await ensurePropertyGroups(client, config)) {
      okLine(out, `${group.objectType}: group ${group.name} ${group.status === 'created' ? 'created' : 'already there'}`);
    }
    let problems = 0;
    for (const check of await ensureCrmProperties(client, config, { create: true })) problems += printPropertyCheck(out, config, check);
    return problems;
  } catch (err) {
    if (!isProviderError(err)) throw err;
    const scopes = objects.map((o) => `${objectTypeInfo(o).scopes.schemaRead} and ${objectTypeInfo(o).scopes.schemaWrite}`).join(', ');
    badLine(out, `HubSpot properties could not be set up: ${err.describe()}`, providerFix(err, scopes));
    return 1;
  }
}

async function setupHeyGenWebhook(client: HeyGenClient, config: ReelayConfig, publicUrl: string | undefined, out: TextOut): Promise<number> {
  heading(out, 'HeyGen webhook endpoint');
  if (publicUrl === undefined) {
    badLine(
      out,
      'PUBLIC_URL is not set, so there is no address to register',
      'set PUBLIC_URL to the address HeyGen reaches this service at (https://...), then run `reelay setup` again',
    );
    return 1;
  }
  const url = heygenWebhookUrl(publicUrl);
  let result: WebhookSetup;
  try {
    result = await ensureHeyGenWebhook(client, url);
  } catch (err) {
    if (!isProviderError(err)) throw err;
    const probe =
      config.heygen.api === 'v2' && err.status === 400
        ? "HeyGen's legacy API checks the URL with an OPTIONS request first: start `reelay serve` where PUBLIC_URL reaches it, then run setup again"
        : providerFix(err);
    badLine(out, `could not register ${url}: ${err.describe()}`, probe);
    return 1;
  }
  if (result.status === 'created') {
    okLine(out, `${url} registered (endpoint ${result.endpoint.id})`);
    if (result.secret === null) {
      badLine(out, 'HeyGen returned no secret for it', 'rotate the endpoint secret in HeyGen and set HEYGEN_WEBHOOK_SECRET to the new one');
      return 1;
    }
    detailLines(out, ['store this secret now, HeyGen shows it only once:', `HEYGEN_WEBHOOK_SECRET=${result.secret}`]);
    return 0;
  }
  okLine(out, `${url} already registered (endpoint ${result.endpoint.id})`);
  detailLines(out, ['keep the HEYGEN_WEBHOOK_SECRET stored when it was registered (HeyGen shows a secret only once; rotate it in HeyGen for a new one)']);
  if (result.missingEvents.length > 0) {
    badLine(
      out,
      `endpoint ${result.endpoint.id} is not subscribed to ${result.missingEvents.join(', ')}`,
      'add these events to the endpoint in HeyGen (or delete the endpoint and run setup again)',
    );
    return 1;
  }
  return 0;
}

async function setupJournalSubscriptions(env: ReelayEnv, config: ReelayConfig, hubspot: HubSpotClient, out: TextOut, clock: Clock): Promise<number> {
  heading(out, 'HubSpot Webhooks Journal subscriptions (hubspot.intake: journal)');
  try {
    const { journal } = journalClientFor(env, config, { clock });
    const portalId = await journalPortalId(config, () => hubspot.accountDetails());
    const checks = await ensureJournalSubscriptions(journal, config, portalId, { create: true });
    if (checks.length === 0) okLine(out, 'no campaign has a trigger: no subscription needed');
    for (const check of checks) {
      const what = `${check.planned.objectType} (${check.planned.objectTypeId}) ${check.planned.actions.join('+')} on ${check.planned.properties.join(', ')}`;
      if (check.status === 'created') okLine(out, `${what}: created (subscription ${check.id}, portal ${portalId})`);
      else if (check.status === 'updated') okLine(out, `${what}: widened (subscription ${check.id}, portal ${portalId})`);
      else if (check.status === 'exists') okLine(out, `${what}: already there (subscription ${check.id})`);
    }
    return 0;
  } catch (err) {
    if (!isProviderError(err)) throw err;
    badLine(out, `journal subscriptions could not be set up: ${err.describe()}`, providerFix(err, 'developer.webhooks_journal.subscriptions.read and .write'));
    return 1;
  }
}

function printHubSpotInstructions(config: ReelayConfig, publicUrl: string | undefined, out: TextOut): void {
  const all = hubspotInstructions(config, publicUrl);
  // With the journal, trigger properties arrive without any webhook; only workflow webhooks remain.
  const instructions = config.hubspot.intake === 'journal' ? { ...all, subscriptions: [] } : all;
  if (instructions.workflows.length === 0 && instructions.subscriptions.length === 0) return;
  heading(out, 'HubSpot webhooks to create by hand (HubSpot has no API for these)');
  if (publicUrl === undefined) detailLines(out, [`replace ${PUBLIC_URL_PLACEHOLDER} with the address of this service`]);
  for (const workflow of instructions.workflows) {
    out.write(`  campaign ${workflow.campaignId}${workflow.enabled ? '' : ' (disabled)'}: workflow webhook\n`);
    detailLines(out, workflowLines(workflow));
  }
  if (instructions.subscriptions.length > 0) {
    out.write("  campaigns with a trigger: a project app has these in webhooks-hsmeta.json (`reelay setup --hubspot-project DIR`); in a legacy private app's Webhooks settings, create\n");
    for (const subscription of instructions.subscriptions) detailLines(out, subscriptionLines(subscription, instructions.subscriptionUrl));
  }
}
