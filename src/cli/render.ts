/**
 * `reelay render --campaign C --object-id N [--dry-run]`: one render by hand.
 * It is stored as a `manual` event with its render, and the running `serve`
 * renders it. `--dry-run` reads the record and prints the exact HeyGen
 * request instead: nothing is stored, sent or billed.
 */
import { parseArgs } from 'node:util';
import type { ReelayEnv } from '../config/env.js';
import type { CampaignConfig, ReelayConfig } from '../config/schema.js';
import { systemClock, type Clock } from '../core/clock.js';
import { isProviderError } from '../core/errors.js';
import { dryRunRecords, emptyTally, tallyLine } from '../manual/dry-run.js';
import { manualIngestItem } from '../manual/manual-event.js';
import { inMemoryBudget } from '../engine/create-budget.js';
import { hubspotClientFor } from '../setup/provider-clients.js';
import type { TextOut } from '../setup/report-lines.js';
import { openStore } from '../store/db.js';
import { receive } from '../engine/lifecycle.js';
import { migrate } from '../store/migrate.js';
import { loadRuntime, UsageError } from './common.js';

const USAGE = 'usage: reelay render --campaign C --object-id N [--dry-run]';

export interface RenderCommand {
  env: ReelayEnv;
  config: ReelayConfig;
  out: TextOut;
  campaignId: string;
  objectId: string;
  dryRun: boolean;
  clock?: Clock;
}

/** The campaign by id; a dry run may preview a disabled one, a real render may not. */
export function campaignFor(config: ReelayConfig, id: string, opts: { dryRun: boolean }): CampaignConfig {
  const campaign = config.campaigns.find((c) => c.id === id);
  if (!campaign) throw new UsageError(`no campaign ${id} in the configuration (campaigns: ${config.campaigns.map((c) => c.id).join(', ') || 'none'})`);
  if (!campaign.enabled && !opts.dryRun) throw new UsageError(`campaign ${id} is disabled (enabled: false); --dry-run still previews it`);
  return campaign;
}

/** Returns the exit code: 1 when a dry run finds no record or a request HeyGen's client would refuse. */
export async function renderCommand(opts: RenderCommand): Promise<number> {
  const { env, config, out } = opts;
  const clock = opts.clock ?? systemClock;
  const campaign = campaignFor(config, opts.campaignId, { dryRun: opts.dryRun });
  if (!/^[1-9][0-9]*$/.test(opts.objectId)) throw new UsageError(`--object-id takes a HubSpot record id (digits), got ${JSON.stringify(opts.objectId)}`);

  if (opts.dryRun) {
    const budget = inMemoryBudget(config, clock);
    const hubspot = hubspotClientFor(env, config, { clock, budget });
    const tally = emptyTally();
    try {
      await dryRunRecords({ reader: { hubspot, budget }, config, campaign, heygenApiBase: env.heygenApiBase, out }, [opts.objectId], tally);
    } catch (err) {
      if (!isProviderError(err)) throw err;
      out.write(`could not read ${campaign.object}/${opts.objectId} from HubSpot: ${err.describe()}\n`);
      return 1;
    }
    out.write(`${tallyLine(tally)}\n`);
    return tally.notFound + tally.refused > 0 ? 1 : 0;
  }

  const store = openStore(env.databaseUrl);
  try {
    await migrate(store);
    const at = clock.now();
    const [outcome] = await receive(store, [manualIngestItem(config, campaign, opts.objectId, { by: 'render', at })], at);
    const renderId = outcome?.renderIds[0];
    if (renderId === undefined) {
      out.write(`the same request was stored a moment ago: nothing added\n`);
      return 0;
    }
    out.write(
      `render ${renderId} queued: ${campaign.object}/${opts.objectId} for campaign ${campaign.id}\n` +
        `the running \`reelay serve\` renders it (the same inputs never render twice); follow it with \`reelay job ${renderId}\`\n`,
    );
    return 0;
  } finally {
    await store.close();
  }
}

export async function run(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { campaign: { type: 'string' }, 'object-id': { type: 'string' }, 'dry-run': { type: 'boolean', default: false } },
  });
  if (values.campaign === undefined || values['object-id'] === undefined) throw new UsageError(USAGE);
  const { env, config } = loadRuntime({});
  process.exitCode = await renderCommand({
    env,
    config,
    out: process.stdout,
    campaignId: values.campaign,
    objectId: values['object-id'],
    dryRun: values['dry-run'],
  });
}
