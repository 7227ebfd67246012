/**
 * The CRM writes a render causes, with the property names and on the
 * records of its plan (frozen at enrichment; a render not yet enriched uses
 * the current config). Skipped renders write no status, only why no video
 * came (SPEC). Built by the lifecycle, queued in the same transaction as the
 * state change.
 */
import { crmWrite } from '../core/crm-write.js';
import { planRender } from '../core/render-plan.js';
import type { Render, RenderPlan } from '../core/render.js';
import { describeFailureForCrm, describeSkipForCrm } from '../core/retry-decision.js';
import type { CrmStatus } from '../core/states.js';
import type { CrmChange } from '../store/apply-render-change.js';
import type { EffectChange } from '../store/enqueue-effect.js';
import { campaignById, type EngineContext } from './context.js';
import { effectOf } from './effects/kind.js';
import { noteBody, noteKind, noteMarker } from './effects/note.js';

/** What building a CRM write needs: the config (for renders without a plan yet) and the time. */
export type CrmWriteContext = Pick<EngineContext, 'config' | 'clock' | 'store'>;

/** The render's plan, or for a render not enriched yet, what the current config would make it. */
export function planOf(ctx: Pick<EngineContext, 'config'>, render: Render): RenderPlan {
  return render.content?.plan ?? planRender(ctx.config, campaignById(ctx.config, render.campaignId), render);
}

function changes(ctx: CrmWriteContext, render: Render, properties: Record<string, string>, status?: CrmStatus): CrmChange[] {
  const notBefore = ctx.clock.now() + ctx.config.hubspot.batchDelay;
  return planOf(ctx, render).writeback.targets.map((target) => ({
    target: { portalId: render.portalId, ...target },
    write: crmWrite(render.id, properties, status),
    ...(status ? { status } : {}),
    notBefore,
  }));
}

export function pendingWrite(ctx: CrmWriteContext, render: Render, videoId: string): CrmChange[] {
  const names = planOf(ctx, render).properties;
  return changes(ctx, render, { [names.status]: 'PENDING', [names.jobId]: videoId, [names.error]: '' }, 'PENDING');
}

export function processingWrite(ctx: CrmWriteContext, render: Render): CrmChange[] {
  return changes(ctx, render, { [planOf(ctx, render).properties.status]: 'PROCESSING' }, 'PROCESSING');
}

/** `thumbnail`: the e-mail thumbnail's address (`PUBLIC_URL/v/TOKEN/thumbnail.gif`), written when there is one and the plan names its property. */
export function completedWrite(ctx: CrmWriteContext, render: Render, videoId: string, link: string, thumbnail?: string): CrmChange[] {
  const names = planOf(ctx, render).properties;
  const properties: Record<string, string> = { [names.status]: 'COMPLETED', [names.url]: link, [names.jobId]: videoId, [names.error]: '' };
  if (thumbnail && names.thumbnailUrl) properties[names.thumbnailUrl] = thumbnail;
  return changes(ctx, render, properties, 'COMPLETED');
}

export function failedWrite(ctx: CrmWriteContext, render: Render, code: string, reason: string): CrmChange[] {
  const names = planOf(ctx, render).properties;
  const properties: Record<string, string> = { [names.status]: 'FAILED', [names.error]: describeFailureForCrm(code, reason) };
  if (render.videoId) properties[names.jobId] = render.videoId;
  return changes(ctx, render, properties, 'FAILED');
}

export function skippedWrite(ctx: CrmWriteContext, render: Render, reason: string): CrmChange[] {
  return changes(ctx, render, { [planOf(ctx, render).properties.error]: describeSkipForCrm(reason) });
}

/** With the campaign's `note: true`: one note per written-back record (with the thumbnail when there is one), created once (keyed by the render). */
export function readyNotes(ctx: CrmWriteContext, render: Render, link: string, thumbnail?: string): EffectChange[] {
  const plan = planOf(ctx, render);
  if (!plan.note || !render.content) return [];
  const now = ctx.clock.now();
  const payload = { marker: noteMarker(render.content.key), body: noteBody(render.content.title, link, thumbnail), timestamp: now };
  return plan.writeback.targets.map((target) =>
    effectOf(noteKind, { target: { portalId: render.portalId, ...target }, key: String(render.id), renderId: render.id, payload, notBefore: now + ctx.config.hubspot.batchDelay }),
  );
}
