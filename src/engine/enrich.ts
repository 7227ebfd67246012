/**
 * Enrichment: `received` renders read their record's current properties
 * (a CRM GET for a lone render, batch reads of 100 otherwise; never search,
 * which lags), are checked fit to render, and get their content key.
 *
 *   record unusable (placeholder, missing, too long) -> skipped, reason in the CRM
 *   same key as another render                       -> duplicate (nothing billed, nothing written)
 *   otherwise                                        -> enriched, ready to submit
 */
import type { CampaignConfig, ObjectType } from '../config/schema.js';
import { renderKey } from '../core/render-key.js';
import { mapVariables, requiredProperties, type Props, type SourceName, type Sources } from '../core/variables.js';
import { applyRenderChange } from '../store/apply-render-change.js';
import { claimRenders, hasDueRenders } from '../store/claim-renders.js';
import { findRenderByKey } from '../store/find-renders.js';
import type { RenderRow } from '../store/schema.js';
import { campaignById, leaseMs, type EngineContext } from './context.js';
import { skippedWrite } from './crm-writes.js';
import { hubspotCall } from './provider-calls.js';
import { claimFairly } from './fair-share.js';
import { handleStepFailure } from './step-failure.js';
import type { TickResult } from './loop.js';

const BATCH = 100;

/** Which object type each variable source reads, given the campaign's own object. */
const SOURCE_TYPES: Record<Exclude<SourceName, 'record' | 'recipient'>, ObjectType> = {
  contact: 'contacts',
  deal: 'deals',
  company: 'companies',
};

export async function enrichTick(ctx: EngineContext): Promise<TickResult> {
  const now = ctx.clock.now();
  const wanted = await ctx.pauses.allowance('hubspot', now, BATCH);
  if (wanted === 0) return 'idle';
  if (!(await hasDueRenders(ctx.store.db, ['received'], now))) return 'idle';
  // While the budget is spent, triggers pile up: the claim after the wait fills a fuller batch read.
  await ctx.budget.waitForRoom('api');
  const claimedAt = ctx.clock.now();
  const rows = await claimFairly(ctx, ['received'], claimedAt, wanted, (limit, campaignId) =>
    claimRenders(ctx.store.db, ctx.store.dialect, {
      states: ['received'],
      workerId: ctx.workerId,
      now: claimedAt,
      leaseMs: leaseMs(ctx),
      limit,
      ...(campaignId === undefined ? {} : { campaignId }),
    }),
  );
  if (rows.length === 0) return 'idle';

  const byType = new Map<string, RenderRow[]>();
  for (const row of rows) byType.set(row.object_type, [...(byType.get(row.object_type) ?? []), row]);
  await Promise.all([...byType.entries()].map(([type, group]) => enrichGroup(ctx, type as ObjectType, group)));
  return 'busy';
}

async function enrichGroup(ctx: EngineContext, objectType: ObjectType, rows: RenderRow[]): Promise<void> {
  const live: { row: RenderRow; campaign: CampaignConfig }[] = [];
  for (const row of rows) {
    const campaign = campaignById(ctx.config, row.campaign_id);
    if (campaign) live.push({ row, campaign });
    else await failRender(ctx, row, 'campaign_removed', `campaign ${row.campaign_id} is no longer configured`);
  }
  if (live.length === 0) return;

  let sources: Map<string, Sources>;
  try {
    sources = await readSources(ctx, objectType, live);
    await ctx.pauses.resume('hubspot', ctx.clock.now());
  } catch (err) {
    await handleStepFailure(ctx, live.map((l) => l.row), err, 'enrich');
    return;
  }

  for (const { row, campaign } of live) {
    const found = sources.get(row.object_id);
    if (!found) {
      await failRender(ctx, row, 'record_not_found', `the HubSpot ${objectType.replace(/s$/, '')} ${row.object_id} no longer exists`);
      continue;
    }
    await settle(ctx, row, campaign, found);
  }
}

async function settle(ctx: EngineContext, row: RenderRow, campaign: CampaignConfig, sources: Sources): Promise<void> {
  const now = ctx.clock.now();
  const mapped = mapVariables(campaign, sources, ctx.config.validation);
  if (!mapped.ok) {
    ctx.metrics.renderTransitions.inc({ campaign: row.campaign_id, to: 'skipped' });
    await applyRenderChange(
      ctx.store.db,
      ctx.store.dialect,
      {
        renderId: row.id,
        from: 'received',
        to: 'skipped',
        set: { error_code: 'invalid_data', error_message: mapped.reason, finished_at: now },
        note: `skipped: ${mapped.reason}`,
        crm: skippedWrite(ctx, row, mapped.reason),
      },
      now,
    );
    return;
  }
  const key = renderKey({
    portalId: row.portal_id,
    campaignId: row.campaign_id,
    objectType: row.object_type,
    objectId: row.object_id,
    templateId: campaign.template,
    title: mapped.title,
    variables: mapped.variables,
    scope: row.scope,
  });
  const twin = await findRenderByKey(ctx.store.db, key);
  if (twin && twin.id !== row.id) {
    await markDuplicate(ctx, row, twin.id);
    return;
  }
  try {
    ctx.metrics.renderTransitions.inc({ campaign: row.campaign_id, to: 'enriched' });
    await applyRenderChange(
      ctx.store.db,
      ctx.store.dialect,
      {
        renderId: row.id,
        from: 'received',
        to: 'enriched',
        set: {
          render_key: key,
          title: mapped.title,
          variables: JSON.stringify(mapped.variables),
          template_id: campaign.template,
          run_at: now,
          attempts: 0,
          error_message: null,
        },
        note: `enriched: ${Object.keys(mapped.variables).length} variables, key ${key.slice(0, 15)}…`,
      },
      now,
    );
    ctx.wake('submit');
  } catch (err) {
    // Another render took the same key between our look-up and our write.
    const raced = await findRenderByKey(ctx.store.db, key);
    if (raced && raced.id !== row.id) await markDuplicate(ctx, row, raced.id);
    else throw err;
  }
}

async function markDuplicate(ctx: EngineContext, row: RenderRow, twinId: number): Promise<void> {
  const now = ctx.clock.now();
  ctx.metrics.renderTransitions.inc({ campaign: row.campaign_id, to: 'duplicate' });
  await applyRenderChange(
    ctx.store.db,
    ctx.store.dialect,
    { renderId: row.id, from: 'received', to: 'duplicate', set: { finished_at: now }, note: `same inputs as render ${twinId}: nothing to render` },
    now,
  );
}

async function failRender(ctx: EngineContext, row: RenderRow, code: string, reason: string): Promise<void> {
  const now = ctx.clock.now();
  ctx.metrics.renderTransitions.inc({ campaign: row.campaign_id, to: 'failed' });
  await applyRenderChange(
    ctx.store.db,
    ctx.store.dialect,
    { renderId: row.id, from: 'received', to: 'failed', set: { error_code: code, error_message: reason, finished_at: now }, note: reason },
    now,
  );
}

/**
 * Reads every source the campaigns need for these records: the records
 * themselves, then (for campaigns that read an associated contact, deal or
 * company) the associated record, preferring one labelled primary.
 */
async function readSources(
  ctx: EngineContext,
  objectType: ObjectType,
  live: { row: RenderRow; campaign: CampaignConfig }[],
): Promise<Map<string, Sources>> {
  const needs = new Map<SourceName, Set<string>>();
  for (const { campaign } of live) {
    for (const [source, props] of Object.entries(requiredProperties(campaign)) as [SourceName, string[]][]) {
      if (props.length === 0) continue;
      const set = needs.get(source) ?? new Set<string>();
      props.forEach((p) => set.add(p));
      needs.set(source, set);
    }
  }
  const ownProps = new Set([...(needs.get('record') ?? []), ...(needs.get('recipient') ?? [])]);
  for (const [source, type] of Object.entries(SOURCE_TYPES) as [keyof typeof SOURCE_TYPES, ObjectType][]) {
    if (type === objectType) (needs.get(source) ?? []).forEach((p) => ownProps.add(p));
  }
  const ids = [...new Set(live.map((l) => l.row.object_id))];
  const records = await readRecords(ctx, objectType, ids, [...ownProps]);

  const result = new Map<string, Sources>();
  for (const [id, props] of records) {
    const sources: Sources = { record: props, recipient: props };
    for (const [source, type] of Object.entries(SOURCE_TYPES) as [keyof typeof SOURCE_TYPES, ObjectType][]) {
      if (type === objectType) sources[source] = props;
    }
    result.set(id, sources);
  }

  for (const [source, type] of Object.entries(SOURCE_TYPES) as [keyof typeof SOURCE_TYPES, ObjectType][]) {
    const props = needs.get(source);
    if (!props || type === objectType) continue;
    const present = [...result.keys()];
    const links = await hubspotCall(ctx, () => ctx.hubspot.batchAssociations(objectType, type, present));
    const chosen = new Map<string, string>();
    for (const [fromId, assoc] of links) {
      const primary = assoc.find((a) => a.labels.some((l) => /primary/i.test(l))) ?? assoc[0];
      if (primary) chosen.set(fromId, String(primary.toObjectId));
    }
    const related = await readRecords(ctx, type, [...new Set(chosen.values())], [...props]);
    for (const [fromId, toId] of chosen) {
      const sources = result.get(fromId);
      if (sources) sources[source] = related.get(toId) ?? {};
    }
    for (const sources of result.values()) sources[source] ??= {};
  }
  return result;
}

async function readRecords(ctx: EngineContext, type: ObjectType, ids: string[], properties: string[]): Promise<Map<string, Props>> {
  const out = new Map<string, Props>();
  if (ids.length === 1) {
    const id = ids[0] as string;
    const record = await hubspotCall(ctx, () => ctx.hubspot.getObject(type, id, properties));
    if (record) out.set(record.id, record.properties);
    return out;
  }
  for (let i = 0; i < ids.length; i += BATCH) {
    const chunk = ids.slice(i, i + BATCH);
    const read = await hubspotCall(ctx, () => ctx.hubspot.batchRead(type, chunk, properties));
    for (const record of read.records) out.set(record.id, record.properties);
  }
  return out;
}
