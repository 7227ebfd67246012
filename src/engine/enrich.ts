/**
 * Enrichment: `received` renders read their record's current properties
 * (a CRM GET for a lone render, batch reads of 100 otherwise; never search,
 * which lags), are checked fit to render, and get their content key.
 *
 *   deal/company trigger, campaign renders for contacts -> expanded into one render per recipient
 *   record fails a condition, or data unusable          -> skipped, reason in the CRM
 *   same key as another render                          -> duplicate (nothing billed, nothing written)
 *   otherwise                                           -> enriched, ready to submit
 */
import type { CampaignConfig, ObjectType } from '../config/schema.js';
import { renderKey } from '../core/render-key.js';
import { checkConditions } from '../core/conditions.js';
import { mapVariables, type Sources } from '../core/variables.js';
import { applyRenderChange } from '../store/apply-render-change.js';
import { claimRenders, hasDueRenders } from '../store/claim-renders.js';
import { expandRender } from '../store/expand-render.js';
import { findRenderByKey } from '../store/find-renders.js';
import type { RenderRow } from '../store/schema.js';
import { campaignById, leaseMs, type EngineContext } from './context.js';
import { skippedWrite } from './crm-writes.js';
import { readCampaignSources, readRecipients, sourceKey } from './read-sources.js';
import { claimFairly } from './fair-share.js';
import { handleStepFailure } from './step-failure.js';
import type { TickResult } from './loop.js';

const BATCH = 100;

export async function enrichTick(ctx: EngineContext): Promise<TickResult> {
  const now = ctx.clock.now();
  const wanted = await ctx.pauses.allowance('hubspot', now, BATCH);
  if (wanted === 0) return 'idle';
  if (!(await hasDueRenders(ctx.store, ['received'], now))) return 'idle';
  // While the budget is spent, triggers pile up: the claim after the wait fills a fuller batch read.
  await ctx.budget.waitForRoom('api');
  const claimedAt = ctx.clock.now();
  const rows = await claimFairly(ctx, ['received'], claimedAt, wanted, (limit, campaignId) =>
    claimRenders(ctx.store, {
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
  const fanOut: { row: RenderRow; campaign: CampaignConfig }[] = [];
  for (const row of rows) {
    const campaign = campaignById(ctx.config, row.campaign_id);
    if (!campaign) await failRender(ctx, row, 'campaign_removed', `campaign ${row.campaign_id} is no longer configured`);
    else if (campaign.recipients.to === 'contacts' && objectType !== 'contacts' && row.trigger_object_id === null) fanOut.push({ row, campaign });
    else live.push({ row, campaign });
  }

  let sources: Map<string, Sources>;
  try {
    if (fanOut.length > 0) await expandToRecipients(ctx, objectType, fanOut);
    if (live.length === 0) return;
    sources = await readCampaignSources(ctx, objectType, live.map(({ row, campaign }) => ({ objectId: row.object_id, campaign, trigger: triggerOf(row) })));
    await ctx.pauses.resume('hubspot', ctx.clock.now());
  } catch (err) {
    await handleStepFailure(ctx, [...fanOut, ...live].filter((l) => l.row.state === 'received').map((l) => l.row), err, 'enrich');
    return;
  }

  for (const { row, campaign } of live) {
    const found = sources.get(sourceKey({ objectId: row.object_id, trigger: triggerOf(row) }));
    if (!found) {
      await failRender(ctx, row, 'record_not_found', `the HubSpot record ${row.trigger_object_id ? `${row.trigger_object_type}/${row.trigger_object_id} or ` : ''}${row.object_type}/${row.object_id} no longer exists`);
      continue;
    }
    await settle(ctx, row, campaign, found);
  }
}

function triggerOf(row: RenderRow): { objectType: ObjectType; objectId: string } | null {
  return row.trigger_object_type && row.trigger_object_id ? { objectType: row.trigger_object_type as ObjectType, objectId: row.trigger_object_id } : null;
}

/**
 * Deal and company triggers of campaigns that render for contacts: the
 * trigger is checked against the campaign's conditions, then becomes one
 * render per recipient (or is skipped when it has none).
 */
async function expandToRecipients(ctx: EngineContext, objectType: ObjectType, triggers: { row: RenderRow; campaign: CampaignConfig }[]): Promise<void> {
  const records = await readCampaignSources(ctx, objectType, triggers.map(({ row, campaign }) => ({ objectId: row.object_id, campaign })));
  const byCampaign = new Map<string, { row: RenderRow; campaign: CampaignConfig }[]>();
  for (const t of triggers) byCampaign.set(t.campaign.id, [...(byCampaign.get(t.campaign.id) ?? []), t]);
  for (const group of byCampaign.values()) {
    const campaign = (group[0] as { campaign: CampaignConfig }).campaign;
    const recipients = await readRecipients(ctx, objectType, group.map((g) => g.row.object_id), campaign.recipients, ctx.config.validation.placeholders);
    for (const { row } of group) {
      const now = ctx.clock.now();
      const record = records.get(row.object_id);
      if (!record) {
        await failRender(ctx, row, 'record_not_found', `the HubSpot record ${row.object_type}/${row.object_id} no longer exists`);
        continue;
      }
      const fit = checkConditions(campaign.conditions, record.record, ctx.config.validation.placeholders);
      const contacts = recipients.get(row.object_id) ?? [];
      const reason = !fit.ok ? fit.reason : contacts.length === 0 ? noRecipientReason(campaign) : null;
      if (reason !== null) {
        await skip(ctx, row, reason);
        continue;
      }
      const ids = await expandRender(ctx.store, row, contacts.map((objectId) => ({ objectType: 'contacts', objectId })), `${contacts.length} recipient contact(s)`, now);
      if (ids) {
        ctx.metrics.renderTransitions.inc({ campaign: row.campaign_id, to: 'expanded' });
        row.state = 'expanded';
        ctx.wake('enrich');
      }
    }
  }
}

function noRecipientReason(campaign: CampaignConfig): string {
  const which = campaign.recipients.which === 'primary' ? 'no primary associated contact' : 'no associated contact';
  return campaign.recipients.filter.length > 0 ? `${which} matches the recipient filter` : which;
}

async function settle(ctx: EngineContext, row: RenderRow, campaign: CampaignConfig, sources: Sources): Promise<void> {
  const now = ctx.clock.now();
  const fit = checkConditions(campaign.conditions, sources.record, ctx.config.validation.placeholders);
  if (!fit.ok) {
    await skip(ctx, row, fit.reason);
    return;
  }
  const mapped = mapVariables(campaign, sources, ctx.config.validation);
  if (!mapped.ok) {
    await skip(ctx, row, mapped.reason);
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
  const twin = await findRenderByKey(ctx.store, key);
  if (twin && twin.id !== row.id) {
    await markDuplicate(ctx, row, twin.id);
    return;
  }
  try {
    ctx.metrics.renderTransitions.inc({ campaign: row.campaign_id, to: 'enriched' });
    await applyRenderChange(
      ctx.store,
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
    const raced = await findRenderByKey(ctx.store, key);
    if (raced && raced.id !== row.id) await markDuplicate(ctx, row, raced.id);
    else throw err;
  }
}

async function skip(ctx: EngineContext, row: RenderRow, reason: string): Promise<void> {
  const now = ctx.clock.now();
  ctx.metrics.renderTransitions.inc({ campaign: row.campaign_id, to: 'skipped' });
  await applyRenderChange(
    ctx.store,
    {
      renderId: row.id,
      from: 'received',
      to: 'skipped',
      set: { error_code: 'invalid_data', error_message: reason, finished_at: now },
      note: `skipped: ${reason}`,
      crm: skippedWrite(ctx, row, reason),
    },
    now,
  );
}

async function markDuplicate(ctx: EngineContext, row: RenderRow, twinId: number): Promise<void> {
  const now = ctx.clock.now();
  ctx.metrics.renderTransitions.inc({ campaign: row.campaign_id, to: 'duplicate' });
  await applyRenderChange(
    ctx.store,
    { renderId: row.id, from: 'received', to: 'duplicate', set: { finished_at: now }, note: `same inputs as render ${twinId}: nothing to render` },
    now,
  );
}

async function failRender(ctx: EngineContext, row: RenderRow, code: string, reason: string): Promise<void> {
  const now = ctx.clock.now();
  ctx.metrics.renderTransitions.inc({ campaign: row.campaign_id, to: 'failed' });
  await applyRenderChange(
    ctx.store,
    { renderId: row.id, from: 'received', to: 'failed', set: { error_code: code, error_message: reason, finished_at: now }, note: reason },
    now,
  );
}
