/**
 * The CRM writes a render causes, with the property names from config, on
 * the records the campaign writes back to (`writeback:` the recipient, the
 * triggering record, or both). Skipped renders write no status, only why
 * no video came (SPEC).
 */
import { crmWrite } from '../core/crm-write.js';
import { describeFailureForCrm, describeSkipForCrm } from '../core/retry-decision.js';
import type { CrmStatus } from '../core/states.js';
import type { CrmChange } from '../store/apply-render-change.js';
import type { CrmTarget } from '../store/enqueue-crm-write.js';
import type { RenderRow } from '../store/schema.js';
import { campaignById, type EngineContext } from './context.js';

/** The records a render's results are written to. */
/** What building a CRM write needs: the config (property names, write-back mode) and the time. */
export type CrmWriteContext = Pick<EngineContext, 'config' | 'clock' | 'store'>;

export function writebackTargets(ctx: Pick<EngineContext, 'config'>, row: RenderRow): CrmTarget[] {
  const recipient = { portalId: row.portal_id, objectType: row.object_type, objectId: row.object_id };
  if (row.trigger_object_type === null || row.trigger_object_id === null) return [recipient];
  const record = { portalId: row.portal_id, objectType: row.trigger_object_type, objectId: row.trigger_object_id };
  const mode = campaignById(ctx.config, row.campaign_id)?.writeback ?? 'recipient';
  if (mode === 'record') return [record];
  if (mode === 'both') return [recipient, record];
  return [recipient];
}

function changes(ctx: CrmWriteContext, row: RenderRow, properties: Record<string, string>, status?: CrmStatus): CrmChange[] {
  const notBefore = ctx.clock.now() + ctx.config.hubspot.batchDelay;
  return writebackTargets(ctx, row).map((target) => ({
    target,
    write: crmWrite(row.id, properties, status),
    ...(status ? { status } : {}),
    notBefore,
  }));
}

export function pendingWrite(ctx: CrmWriteContext, row: RenderRow, videoId: string): CrmChange[] {
  const names = ctx.config.hubspot.properties;
  return changes(ctx, row, { [names.status]: 'PENDING', [names.jobId]: videoId, [names.error]: '' }, 'PENDING');
}

export function processingWrite(ctx: CrmWriteContext, row: RenderRow): CrmChange[] {
  return changes(ctx, row, { [ctx.config.hubspot.properties.status]: 'PROCESSING' }, 'PROCESSING');
}

export function completedWrite(ctx: CrmWriteContext, row: RenderRow, videoId: string, link: string): CrmChange[] {
  const names = ctx.config.hubspot.properties;
  return changes(ctx, row, { [names.status]: 'COMPLETED', [names.url]: link, [names.jobId]: videoId, [names.error]: '' }, 'COMPLETED');
}

export function failedWrite(ctx: CrmWriteContext, row: RenderRow, code: string, reason: string): CrmChange[] {
  const names = ctx.config.hubspot.properties;
  const properties: Record<string, string> = { [names.status]: 'FAILED', [names.error]: describeFailureForCrm(code, reason) };
  if (row.video_id) properties[names.jobId] = row.video_id;
  return changes(ctx, row, properties, 'FAILED');
}

export function skippedWrite(ctx: CrmWriteContext, row: RenderRow, reason: string): CrmChange[] {
  return changes(ctx, row, { [ctx.config.hubspot.properties.error]: describeSkipForCrm(reason) });
}
