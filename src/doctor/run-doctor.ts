/**
 * `reelay doctor`: every check a line, green or red with its fix, printed
 * as it completes. The doctor only reads: it creates, migrates and writes
 * nothing (see `hubspot-checks.ts` for the one write-scope probe, which
 * touches no record). Exit code 1 on any red.
 */
import type { ReelayEnv } from '../config/env.js';
import type { ReelayConfig } from '../config/schema.js';
import { systemClock, type Clock } from '../core/clock.js';
import { heygenClientFor, hubspotClientFor } from '../setup/provider-clients.js';
import { badLine, heading, okLine, warnLine, type TextOut } from '../setup/report-lines.js';
import { checkApiVersion, checkCredential } from './credential-checks.js';
import { checkDatabase } from './database-checks.js';
import { checkCrmPropertyDefinitions, checkHubSpotAccess } from './hubspot-checks.js';
import { checkIntake } from './intake-checks.js';
import { noInbound, noInboundPublicUrlCheck, noInboundWebhookChecks } from './journal-checks.js';
import { fail, pass, type CheckOutcome } from './outcome.js';
import { checkPublicUrl } from './public-url-check.js';
import { checkShareLink } from './share-checks.js';
import { checkTemplates } from './template-checks.js';
import { checkHeyGenEndpoint, checkWebhookSecrets } from './webhook-checks.js';

export interface DoctorOptions {
  env: ReelayEnv;
  config: ReelayConfig;
  out: TextOut;
  clock?: Clock;
  /** For the PUBLIC_URL check. */
  fetch?: typeof fetch;
}

export async function runDoctor(opts: DoctorOptions): Promise<number> {
  const { env, config, out } = opts;
  let checks = 0;
  let failures = 0;
  let warnings = 0;
  const section = (title: string, outcomes: CheckOutcome[]) => {
    heading(out, title);
    for (const outcome of outcomes) {
      checks += 1;
      if (outcome.ok && outcome.advice !== undefined) {
        warnings += 1;
        warnLine(out, outcome.text, outcome.advice);
      } else if (outcome.ok) okLine(out, outcome.text);
      else {
        failures += 1;
        badLine(out, outcome.text, outcome.fix);
      }
    }
  };

  const ids = config.campaigns.map((c) => c.id);
  section('Configuration', [
    ids.length === 0
      ? fail(`${env.configPath} has no campaigns: nothing would ever render`, 'add a campaign to reelay.yaml (see README.md)')
      : pass(`${env.configPath}: ${ids.length} campaign(s): ${ids.join(', ')}`),
    ...checkShareLink(config, env.publicUrl !== undefined),
  ]);

  const hubspot = env.hubspotAccessToken === undefined ? null : hubspotClientFor(env, config, { clock: opts.clock ?? systemClock });
  const access = await checkHubSpotAccess(hubspot, config);
  const token = env.hubspotAccessToken;
  const usable = access.usable && hubspot !== null && token !== undefined;
  section('HubSpot', [
    ...(usable ? await checkCredential(hubspot, token, config) : []),
    ...access.outcomes,
    ...(usable ? await checkCrmPropertyDefinitions(hubspot, config) : []),
    checkApiVersion(config),
  ]);
  const intake = await checkIntake(env, config, hubspot, opts.clock ?? systemClock);
  section(intake.title, intake.outcomes);

  const heygen = env.heygenApiKey === undefined ? null : heygenClientFor(env, config);
  section('HeyGen templates', heygen === null ? [fail('HEYGEN_API_KEY is not set', 'set it to the API key from HeyGen (Settings → API)')] : await checkTemplates(heygen, config));

  const pullOnly = noInbound(env, config);
  section('Webhooks', pullOnly ? noInboundWebhookChecks() : [...checkWebhookSecrets(env), ...(heygen === null ? [] : [await checkHeyGenEndpoint(heygen, env.publicUrl)])]);
  section('Database', await checkDatabase(env, { config, now: (opts.clock ?? systemClock).now() }));
  section('Public URL', [pullOnly ? noInboundPublicUrlCheck(config) : await checkPublicUrl(env.publicUrl, opts.fetch)]);

  const warned = warnings === 0 ? '' : ` (${warnings} warning(s): see advice)`;
  out.write(failures === 0 ? `\nall ${checks} checks passed${warned}\n` : `\n${failures} of ${checks} checks failed${warned}\n`);
  return failures === 0 ? 0 : 1;
}
