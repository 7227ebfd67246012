/**
 * The CRM writes a render causes, with the property names from config.
 * Skipped renders write no status, only why no video came (SPEC).
 */
import { crmWrite } from '../core/crm-write.js';
import { describeFailureForCrm, describeSkipForCrm } from '../core/retry-decision.js';
import type { CrmStatus } from '../core/states.js';
import type { RenderRow } from '../store/schema.js';
import type { RenderChange } from '../store/apply-render-change.js';
import type { EngineContext } from './context.js';

type CrmChange = NonNullable<RenderChange['crm']>;

function target(row: RenderRow) {
  return { portalId: row.portal_id, objectType: row.object_type, objectId: row.object_id };
}

function notBefore(ctx: EngineContext): number {
  return ctx.clock.now() + ctx.config.hubspot.batchDelay;
}

function statusWrite(ctx: EngineContext, row: RenderRow, status: CrmStatus, extra: Record<string, string>): CrmChange {
  const names = ctx.config.hubspot.properties;
  return {
    target: target(row),
    status,
    write: crmWrite(row.id, { [names.status]: status, ...extra }, status),
    notBefore: notBefore(ctx),
  };
}

export function pendingWrite(ctx: EngineContext, row: RenderRow, videoId: string): CrmChange {
  const names = ctx.config.hubspot.properties;
  return statusWrite(ctx, row, 'PENDING', { [names.jobId]: videoId, [names.error]: '' });
}

export function processingWrite(ctx: EngineContext, row: RenderRow): CrmChange {
  return statusWrite(ctx, row, 'PROCESSING', {});
}

export function completedWrite(ctx: EngineContext, row: RenderRow, videoId: string, link: string): CrmChange {
  const names = ctx.config.hubspot.properties;
  return statusWrite(ctx, row, 'COMPLETED', { [names.url]: link, [names.jobId]: videoId, [names.error]: '' });
}

export function failedWrite(ctx: EngineContext, row: RenderRow, code: string, reason: string): CrmChange {
  const names = ctx.config.hubspot.properties;
  const extra: Record<string, string> = { [names.error]: describeFailureForCrm(code, reason) };
  if (row.video_id) extra[names.jobId] = row.video_id;
  return statusWrite(ctx, row, 'FAILED', extra);
}

export function skippedWrite(ctx: EngineContext, row: RenderRow, reason: string): CrmChange {
  const names = ctx.config.hubspot.properties;
  return { target: target(row), write: crmWrite(row.id, { [names.error]: describeSkipForCrm(reason) }), notBefore: notBefore(ctx) };
}
