/**
 * Scheduled triggers: a campaign with `schedule:` runs a CRM search each
 * time its cron expression is due and enqueues every match, once per
 * distinct set of filter values. A renewal campaign searching
 * `contract_end_date EQ {{today+60d}}` therefore enqueues a contact once
 * per contract term: the next term has another date, hence another key.
 * Runs missed while the service was down are made up, back to `catchUpDays`.
 *
 * Crash safety: the mark moves past a slot only after its matches are
 * stored; a crash re-runs the slot, and the events' dedupe keys make that
 * harmless. One instance at a time runs a campaign's schedule (a lease).
 */
import { createHash } from 'node:crypto';
import type { CampaignConfig, ReelayConfig, ScheduleSpec } from '../config/schema.js';
import { isProviderError } from '../core/errors.js';
import { canonicalJson } from '../core/render-key.js';
import { planRuns, renderScheduleFilters, type RenderedFilter } from '../core/schedule.js';
import type { SearchFilter } from '../hubspot/types.js';
import type { IngestItem } from '../store/ingest-events.js';
import { receive } from './lifecycle.js';
import { renderDraft } from './intake.js';
import { advanceScheduleMark, readScheduleMark, releaseScheduleLease, takeScheduleLease } from '../store/schedule-runs.js';
import { leaseMs, type EngineContext } from './context.js';
import type { TickResult } from './loop.js';
import { hubspotCall } from './provider-calls.js';

/** Slots run per campaign per tick; a longer catch-up continues on the next (immediate) tick. */
const SLOTS_PER_TICK = 24;
/** HubSpot search's largest page. */
const PAGE_SIZE = 200;
/** HubSpot's limit of filters in one group; paging past 10,000 results takes one of them. */
const FILTERS_PER_GROUP = 6;

type Scheduled = CampaignConfig & { schedule: ScheduleSpec };

export async function scheduleTick(ctx: EngineContext): Promise<TickResult> {
  let busy = false;
  for (const campaign of ctx.config.campaigns) {
    if (!campaign.enabled || campaign.schedule === undefined) continue;
    try {
      if ((await runSchedule(ctx, { ...campaign, schedule: campaign.schedule })) === 'busy') busy = true;
    } catch (err) {
      ctx.log.warn({ err, campaign: campaign.id }, `the schedule of campaign ${campaign.id} did not run; it is tried again on the next tick`);
      if (isProviderError(err) && err.provider === 'hubspot' && err.failureClass === 'blocking') {
        await ctx.pauses.pause('hubspot', err.code, err.describe(), ctx.clock.now());
      }
    }
  }
  return busy ? 'busy' : 'idle';
}

async function runSchedule(ctx: EngineContext, campaign: Scheduled): Promise<TickResult> {
  const { db } = ctx.store;
  const now = ctx.clock.now();
  const mark = await readScheduleMark(db, campaign.id);
  const plan = planRuns(campaign.schedule, mark, now, SLOTS_PER_TICK);
  if (plan.slots.length === 0) {
    // First start with nothing to run: remember that scheduling starts now.
    if (mark === undefined) await advanceScheduleMark(db, campaign.id, plan.markAfter, now);
    return 'idle';
  }
  // While HubSpot is paused, a run is let through now and then as the probe.
  if ((await ctx.pauses.allowance('hubspot', now, 1)) === 0) return 'idle';
  if (!(await takeScheduleLease(db, campaign.id, ctx.workerId, now, leaseMs(ctx)))) return 'idle';
  ctx.pauses.spendProbe('hubspot', now);
  try {
    // Another instance may have run these slots between our read and our lease.
    const current = await readScheduleMark(db, campaign.id);
    const runs = current === mark ? plan : planRuns(campaign.schedule, current, now, SLOTS_PER_TICK);
    if (runs.skipped > 0) {
      ctx.log.warn(
        { campaign: campaign.id, skipped: runs.skipped, catchUpDays: campaign.schedule.catchUpDays },
        `campaign ${campaign.id}: ${runs.skipped} scheduled run(s) missed more than catchUpDays (${campaign.schedule.catchUpDays}) ago are not made up`,
      );
    }
    const searched = new Set<string>();
    for (const slot of runs.slots) {
      if ((await runSlot(ctx, campaign, slot, searched)) === 'lease-lost') return 'idle';
      await advanceScheduleMark(db, campaign.id, slot, ctx.clock.now());
    }
    await advanceScheduleMark(db, campaign.id, runs.markAfter, ctx.clock.now());
    return runs.more ? 'busy' : 'idle';
  } finally {
    await releaseScheduleLease(db, campaign.id, ctx.workerId);
  }
}

/**
 * One run: search, store every match as a `schedule` event with its render.
 * `searched` holds the terms already searched in this tick: catching up an
 * hourly schedule whose filters name only the date searches once per date.
 */
async function runSlot(ctx: EngineContext, campaign: Scheduled, slot: number, searched: Set<string>): Promise<'done' | 'lease-lost'> {
  const { schedule } = campaign;
  const filters = renderScheduleFilters(schedule.filters, slot, schedule.timezone);
  const term = termOf(filters);
  if (searched.has(term)) return 'done';
  searched.add(term);

  let matches = 0;
  let enqueued = 0;
  try {
    for await (const ids of searchMatches(ctx, campaign, filters)) {
      const outcomes = await receive(ctx.store, scheduledItems(ctx.config, campaign, ids, { slot, filters, term }), ctx.clock.now());
      const fresh = outcomes.filter((o) => !o.duplicate).length;
      matches += ids.length;
      enqueued += fresh;
      if (fresh > 0) ctx.wake('enrich');
      if (!(await takeScheduleLease(ctx.store.db, campaign.id, ctx.workerId, ctx.clock.now(), leaseMs(ctx)))) {
        ctx.log.warn({ campaign: campaign.id }, `campaign ${campaign.id}: another instance took over its schedule`);
        return 'lease-lost';
      }
    }
  } catch (err) {
    // The search itself is wrong (an unknown property, a bad value): retrying cannot help this run.
    if (isProviderError(err) && err.failureClass === 'permanent') {
      ctx.log.error(
        { campaign: campaign.id, slot: new Date(slot).toISOString(), error: err.describe() },
        `campaign ${campaign.id}: HubSpot refused the scheduled search, this run is skipped: ${err.message}`,
      );
      return 'done';
    }
    throw err;
  }
  await ctx.pauses.resume('hubspot', ctx.clock.now());
  ctx.log.info({ campaign: campaign.id, slot: new Date(slot).toISOString(), matches, enqueued }, `campaign ${campaign.id}: scheduled search ran`);
  return 'done';
}

/**
 * Every record matching `filters`, a page of ids at a time, in ascending id
 * order. HubSpot answers at most 10,000 results per query; past them the
 * search continues with `hs_object_id > last id seen`.
 */
export async function* searchMatches(
  ctx: EngineContext,
  campaign: Pick<CampaignConfig, 'id' | 'object'>,
  filters: readonly RenderedFilter[],
): AsyncGenerator<string[]> {
  let afterId: string | undefined;
  for (;;) {
    const group: SearchFilter[] = [...filters];
    if (afterId !== undefined) group.push({ propertyName: 'hs_object_id', operator: 'GT', value: afterId });
    let after: string | undefined;
    let seen = 0;
    let total = 0;
    let lastId: string | undefined;
    do {
      const request = {
        filterGroups: [{ filters: group }],
        properties: ['hs_object_id'],
        sorts: [{ propertyName: 'hs_object_id', direction: 'ASCENDING' as const }],
        limit: PAGE_SIZE,
        ...(after === undefined ? {} : { after }),
      };
      const page = await hubspotCall(ctx, () => ctx.hubspot.search(campaign.object, request), 'search');
      total = page.total;
      const ids = page.results.map((r) => r.id);
      if (ids.length > 0) {
        seen += ids.length;
        lastId = ids[ids.length - 1];
        yield ids;
      }
      after = page.nextAfter ?? undefined;
    } while (after !== undefined);
    if (seen >= total || lastId === undefined) return;
    if (filters.length >= FILTERS_PER_GROUP) {
      ctx.log.warn(
        { campaign: campaign.id, total, seen },
        `campaign ${campaign.id}: the scheduled search matched ${total} records but HubSpot returns ${seen}; ` +
          `with ${filters.length} filters there is no room to page further (HubSpot allows ${FILTERS_PER_GROUP}), narrow the filters`,
      );
      return;
    }
    afterId = lastId;
  }
}

/** A short digest of the rendered filters: the "term" a match is enqueued once for. */
function termOf(filters: readonly RenderedFilter[]): string {
  const json = filters.map((f) => ({ p: f.propertyName, o: f.operator, v: f.value ?? null, h: f.highValue ?? null, vs: f.values ?? null }));
  return createHash('sha256').update(canonicalJson(json)).digest('hex').slice(0, 16);
}

/** Pure: the events (and renders) a run stores for its matches. */
export function scheduledItems(
  config: ReelayConfig,
  campaign: CampaignConfig,
  objectIds: readonly string[],
  run: { slot: number; filters: readonly RenderedFilter[]; term: string },
): IngestItem[] {
  const portalId = config.hubspot.portalId.trim() || 'default';
  const payload = JSON.stringify({ slot: new Date(run.slot).toISOString(), filters: run.filters });
  return objectIds.map((objectId) => ({
    event: {
      source: 'hubspot',
      dedupe_key: `sched_${campaign.id}_${objectId}_${run.term}`,
      portal_id: portalId,
      kind: 'schedule',
      object_type: campaign.object,
      object_id: objectId,
      campaign_id: campaign.id,
      status: 'accepted',
      reason: null,
      payload,
    },
    // Once per term, even if no variable shows the term's date.
    renders: [renderDraft(config, campaign, portalId, objectId, run.term)],
  }));
}
