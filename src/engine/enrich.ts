/**
 * Enrichment: `received` renders read their record's current properties
 * (a CRM GET for a lone render, batch reads of 100 otherwise; never search,
 * which lags), are checked fit to render, and get their content key.
 *
 *   deal/company trigger, campaign renders for contacts -> expanded into one render per recipient
 *   record fails a condition, or data unusable          -> skipped, reason in the CRM
 *   same key as another render                          -> duplicate (nothing billed, nothing written)
 *   otherwise                                           -> enriched, ready to submit
 *
 * A campaign with `variants:` renders the first variant whose `when` the
 * record meets (else its own template); the variant is part of the key.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { objectTypes, type CampaignConfig, type ObjectType } from '../config/schema.js';
import { renderKey } from '../core/render-key.js';
import { isIn, type RecordRef, type RenderIn } from '../core/render.js';
import { checkConditions } from '../core/conditions.js';
import { mapVariables, type Sources } from '../core/variables.js';
import { chooseVariant } from '../core/variants.js';
import { claimRenders, hasDueRenders } from '../store/claim-renders.js';
import { findRenderByKey } from '../store/find-renders.js';
import { campaignById, leaseMs, type EngineContext } from './context.js';
import { readCampaignSources, readRecipients, sourceKey } from './read-sources.js';
import { claimFairly } from './fair-share.js';
import { enrich, expand, fail, loadClaimed, markDuplicate, skip } from './lifecycle.js';
import { handleStepFailure } from './step-failure.js';
import type { TickResult } from './loop.js';

type Received = RenderIn<'received'>;

const BATCH = 100;
/** Renders of a batch read settled per turn of the event loop (about 5 ms of work here). */
const SETTLE_SLICE = 25;

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
  ctx.pauses.spendProbe('hubspot', claimedAt);

  const byType = new Map<ObjectType, Received[]>();
  for (const render of await loadClaimed(ctx, rows)) {
    if (!isIn(render, 'received')) continue;
    const type = objectTypes.find((t) => t === render.recipient.objectType);
    if (type === undefined) {
      await fail(ctx, render, { code: 'unknown_object_type', reason: `Reelay cannot read HubSpot ${render.recipient.objectType} records`, crm: false });
      continue;
    }
    byType.set(type, [...(byType.get(type) ?? []), render]);
  }
  await Promise.all([...byType.entries()].map(([type, group]) => enrichGroup(ctx, type, group)));
  return 'busy';
}

interface Claimed {
  render: Received;
  campaign: CampaignConfig;
  /** Set once the render has left `received` (expanded, skipped...). */
  done?: boolean;
}

async function enrichGroup(ctx: EngineContext, objectType: ObjectType, renders: Received[]): Promise<void> {
  const live: Claimed[] = [];
  const fanOut: Claimed[] = [];
  for (const render of renders) {
    const campaign = campaignById(ctx.config, render.campaignId);
    if (!campaign) await failRender(ctx, render, 'campaign_removed', `campaign ${render.campaignId} is no longer configured`);
    else if (campaign.recipients.to === 'contacts' && objectType !== 'contacts' && render.trigger === null) fanOut.push({ render, campaign });
    else live.push({ render, campaign });
  }

  let sources: Map<string, Sources>;
  try {
    if (fanOut.length > 0) await expandToRecipients(ctx, objectType, fanOut);
    if (live.length === 0) return;
    sources = await readCampaignSources(ctx, objectType, live.map(({ render, campaign }) => ({ objectId: render.recipient.objectId, campaign, trigger: triggerOf(render) })));
    await ctx.pauses.resume('hubspot', ctx.clock.now());
  } catch (err) {
    await handleStepFailure(ctx, [...fanOut, ...live].filter((l) => !l.done).map((l) => l.render), err, 'enrich');
    return;
  }

  // A slice at a time, side by side within it so its transitions share one
  // commit (the lifecycle's group commit); the event loop is free between
  // two slices, so webhook requests are not held behind a whole batch.
  const keys = new Map<string, number>();
  for (let i = 0; i < live.length; i += SETTLE_SLICE) {
    if (i > 0) await nextTurn();
    await Promise.all(
      live.slice(i, i + SETTLE_SLICE).map(async ({ render, campaign }) => {
        const found = sources.get(sourceKey({ objectId: render.recipient.objectId, trigger: triggerOf(render) }));
        if (!found) {
          const trigger = render.trigger ? `${render.trigger.objectType}/${render.trigger.objectId} or ` : '';
          await failRender(ctx, render, 'record_not_found', `the HubSpot record ${trigger}${render.recipient.objectType}/${render.recipient.objectId} no longer exists`);
          return;
        }
        await settle(ctx, render, campaign, found, keys);
      }),
    );
  }
}

function triggerOf(render: Received): { objectType: ObjectType; objectId: string } | null {
  const type = render.trigger ? objectTypes.find((t) => t === render.trigger?.objectType) : undefined;
  return render.trigger && type ? { objectType: type, objectId: render.trigger.objectId } : null;
}

/**
 * Deal and company triggers of campaigns that render for contacts: the
 * trigger is checked against the campaign's conditions, then becomes one
 * render per recipient (or is skipped when it has none).
 */
async function expandToRecipients(ctx: EngineContext, objectType: ObjectType, triggers: Claimed[]): Promise<void> {
  const records = await readCampaignSources(ctx, objectType, triggers.map(({ render, campaign }) => ({ objectId: render.recipient.objectId, campaign })));
  const byCampaign = new Map<string, { campaign: CampaignConfig; members: Claimed[] }>();
  for (const t of triggers) {
    const group = byCampaign.get(t.campaign.id) ?? { campaign: t.campaign, members: [] };
    group.members.push(t);
    byCampaign.set(t.campaign.id, group);
  }
  for (const { campaign, members } of byCampaign.values()) {
    const recipients = await readRecipients(ctx, objectType, members.map((m) => m.render.recipient.objectId), campaign.recipients, ctx.config.validation.placeholders);
    for (const member of members) {
      const { render } = member;
      const record = records.get(render.recipient.objectId);
      if (!record) {
        await failRender(ctx, render, 'record_not_found', `the HubSpot record ${render.recipient.objectType}/${render.recipient.objectId} no longer exists`);
        member.done = true;
        continue;
      }
      const fit = checkConditions(campaign.conditions, record.record, ctx.config.validation.placeholders);
      const contacts = recipients.get(render.recipient.objectId) ?? [];
      const reason = !fit.ok ? fit.reason : contacts.length === 0 ? noRecipientReason(campaign) : null;
      if (reason !== null) {
        await skip(ctx, render, reason);
        member.done = true;
        continue;
      }
      const people: RecordRef[] = contacts.map((objectId) => ({ objectType: 'contacts', objectId }));
      if (await expand(ctx, render, people, `${contacts.length} recipient contact(s)`)) member.done = true;
    }
  }
}

function noRecipientReason(campaign: CampaignConfig): string {
  const which = campaign.recipients.which === 'primary' ? 'no primary associated contact' : 'no associated contact';
  return campaign.recipients.filter.length > 0 ? `${which} matches the recipient filter` : which;
}

/** `keys`: content keys taken in this batch so far (a twin within the batch is a duplicate too). */
async function settle(ctx: EngineContext, render: Received, campaign: CampaignConfig, sources: Sources, keys: Map<string, number>): Promise<void> {
  const fit = checkConditions(campaign.conditions, sources.record, ctx.config.validation.placeholders);
  if (!fit.ok) {
    await skip(ctx, render, fit.reason);
    return;
  }
  // The first variant whose `when` the record meets, else the campaign's own template.
  const chosen = chooseVariant(campaign, sources.record, ctx.config.validation.placeholders);
  const mapped = mapVariables(chosen, sources, ctx.config.validation);
  if (!mapped.ok) {
    await skip(ctx, render, mapped.reason);
    return;
  }
  const key = renderKey({
    portalId: render.portalId,
    campaignId: render.campaignId,
    objectType: render.recipient.objectType,
    objectId: render.recipient.objectId,
    templateId: chosen.template,
    title: mapped.title,
    variables: mapped.variables,
    scope: render.scope,
    variant: chosen.variant,
  });
  const batchTwin = keys.get(key);
  if (batchTwin !== undefined && batchTwin !== render.id) {
    await markDuplicate(ctx, render, batchTwin);
    return;
  }
  keys.set(key, render.id);
  const twin = await findRenderByKey(ctx.store, key);
  if (twin && twin.id !== render.id) {
    await markDuplicate(ctx, render, twin.id);
    return;
  }
  try {
    await enrich(ctx, render, { key, templateId: chosen.template, title: mapped.title, variables: mapped.variables, variant: chosen.variant });
  } catch (err) {
    // Another render took the same key between our look-up and our write.
    const raced = await findRenderByKey(ctx.store, key);
    if (raced && raced.id !== render.id) await markDuplicate(ctx, render, raced.id);
    else throw err;
  }
}

/** Failed before any CRM write: nothing to tell the CRM. */
async function failRender(ctx: EngineContext, render: Received, code: string, reason: string): Promise<void> {
  await fail(ctx, render, { code, reason, crm: false });
}
