/**
 * `reelay backfill --campaign C --filter 'lifecyclestage=customer' [--dry-run] [--limit N]`:
 * a render for every record of a segment, found with HubSpot's search and
 * queued as `manual` events for the running `serve`. Running it again is
 * safe: the same inputs never render twice. `--dry-run` prints each HeyGen
 * request instead, storing and spending nothing.
 */
import { parseArgs } from 'node:util';
import type { ReelayEnv } from '../config/env.js';
import type { ReelayConfig } from '../config/schema.js';
import { systemClock, type Clock, type Random } from '../core/clock.js';
import { isProviderError } from '../core/errors.js';
import { createBudget } from '../engine/create-budget.js';
import { dryRunRecords, emptyTally, tallyLine } from '../manual/dry-run.js';
import { FilterSyntaxError, parseFilter } from '../manual/filter.js';
import { manualIngestItem } from '../manual/manual-event.js';
import { progressBar } from '../manual/progress.js';
import type { SourceReader } from '../engine/read-sources.js';
import { searchSegment, type SegmentOptions } from '../manual/search-segment.js';
import { inMemoryBudget } from '../engine/create-budget.js';
import { hubspotClientFor } from '../setup/provider-clients.js';
import type { TextOut } from '../setup/report-lines.js';
import { openStore } from '../store/db.js';
import { receive } from '../engine/lifecycle.js';
import { migrate } from '../store/migrate.js';
import { loadRuntime, UsageError } from './common.js';
import { campaignFor } from './render.js';

const USAGE = "usage: reelay backfill --campaign C --filter 'prop=value,...' [--dry-run] [--limit N]";

export interface BackfillCommand {
  env: ReelayEnv;
  config: ReelayConfig;
  /** Results (dry-run requests, the final count). */
  out: TextOut;
  /** Progress. */
  err: TextOut;
  campaignId: string;
  filter: string;
  limit?: number;
  dryRun: boolean;
  clock?: Clock;
  random?: Random;
  sleep?: (ms: number) => Promise<void>;
}

function readFilter(text: string) {
  try {
    return parseFilter(text);
  } catch (err) {
    if (err instanceof FilterSyntaxError) throw new UsageError(`--filter: ${err.message}`);
    throw err;
  }
}

/** Returns the exit code: 1 when HubSpot stopped the search part-way. */
export async function backfillCommand(opts: BackfillCommand): Promise<number> {
  const { env, config, out, err } = opts;
  const clock = opts.clock ?? systemClock;
  const campaign = campaignFor(config, opts.campaignId, { dryRun: opts.dryRun });
  const filters = readFilter(opts.filter);
  const segment: SegmentOptions = {
    random: opts.random ?? Math.random,
    ...(opts.limit === undefined ? {} : { limit: opts.limit }),
    ...(opts.sleep === undefined ? {} : { sleep: opts.sleep }),
  };
  const progress = progressBar(err, opts.dryRun ? `previewing ${campaign.object}` : `queueing ${campaign.object}`);
  let matched = 0;
  const stopped = (e: unknown, done: string): number => {
    progress.finish();
    if (!isProviderError(e)) throw e;
    out.write(`backfill stopped: ${e.describe()}\n${done}\n`);
    return 1;
  };

  if (opts.dryRun) {
    const budget = inMemoryBudget(config, clock);
    const reader: SourceReader = { hubspot: hubspotClientFor(env, config, { clock, budget }), budget };
    const tally = emptyTally();
    try {
      for await (const page of searchSegment(reader, campaign.object, filters, segment)) {
        await dryRunRecords({ reader, config, campaign, heygenApiBase: env.heygenApiBase, out }, page.ids, tally);
        matched += page.ids.length;
        progress.update(matched, page.total);
      }
    } catch (e) {
      return stopped(e, tallyLine(tally));
    }
    progress.finish();
    out.write(`${matched} ${campaign.object} matched ${opts.filter}\n${tallyLine(tally)}\n`);
    return 0;
  }

  const store = openStore(env.databaseUrl);
  let queued = 0;
  try {
    await migrate(store);
    const budget = createBudget(store, config, clock);
    const reader: SourceReader = { hubspot: hubspotClientFor(env, config, { clock, budget }), budget };
    const at = clock.now();
    const request = { by: 'backfill' as const, at, detail: { filter: opts.filter } };
    try {
      for await (const page of searchSegment(reader, campaign.object, filters, segment)) {
        const outcomes = await receive(store, page.ids.map((id) => manualIngestItem(config, campaign, id, request)), clock.now());
        queued += outcomes.reduce((n, o) => n + o.renderIds.length, 0);
        matched += page.ids.length;
        progress.update(matched, page.total);
      }
    } catch (e) {
      return stopped(e, `${queued} render(s) were queued before that; running the same backfill again is safe`);
    }
  } finally {
    await store.close();
  }
  progress.finish();
  out.write(
    `${matched} ${campaign.object} matched ${opts.filter}: ${queued} render(s) queued for campaign ${campaign.id}\n` +
      'the running `reelay serve` renders them (the same inputs never render twice); `reelay jobs --campaign ' +
      `${campaign.id}\` shows progress\n`,
  );
  return 0;
}

export async function run(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      campaign: { type: 'string' },
      filter: { type: 'string' },
      limit: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
    },
  });
  if (values.campaign === undefined || values.filter === undefined) throw new UsageError(USAGE);
  const limit = values.limit === undefined ? undefined : Number(values.limit);
  if (limit !== undefined && !(Number.isInteger(limit) && limit > 0)) throw new UsageError(`--limit takes a positive whole number, got ${values.limit}`);
  const { env, config } = loadRuntime({});
  process.exitCode = await backfillCommand({
    env,
    config,
    out: process.stdout,
    err: process.stderr,
    campaignId: values.campaign,
    filter: values.filter,
    dryRun: values['dry-run'],
    ...(limit === undefined ? {} : { limit }),
  });
}
