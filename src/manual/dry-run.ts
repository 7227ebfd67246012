/**
 * Dry runs: read the records as the engine would, map them, and print the
 * exact HeyGen request each would send, or why it would be skipped. Nothing
 * is stored, nothing is sent to HeyGen, nothing is written to HubSpot.
 */
import type { CampaignConfig, ReelayConfig } from '../config/schema.js';
import type { TextOut } from '../setup/report-lines.js';
import { manualPortalId } from './manual-event.js';
import { readCampaignSources, type SourceReader } from '../engine/read-sources.js';
import { planRender, type RenderPlan } from './render-plan.js';
import { previewCreateRequest, type PreviewResult } from './request-preview.js';

export interface DryRunTally {
  render: number;
  skip: number;
  notFound: number;
  /** The HeyGen client would refuse before sending (a configuration problem). */
  refused: number;
}

export const emptyTally = (): DryRunTally => ({ render: 0, skip: 0, notFound: 0, refused: 0 });

export interface DryRunContext {
  reader: SourceReader;
  config: ReelayConfig;
  campaign: CampaignConfig;
  heygenApiBase: string;
  out: TextOut;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}

function printPlan(ctx: DryRunContext, plan: RenderPlan, preview: PreviewResult | null, tally: DryRunTally): void {
  const { campaign, out } = ctx;
  const what = `${campaign.object}/${plan.objectId} (campaign ${campaign.id})`;
  if (plan.outcome === 'not_found') {
    tally.notFound += 1;
    out.write(`${what}: no such record in HubSpot\n`);
    return;
  }
  if (plan.outcome === 'skip') {
    tally.skip += 1;
    out.write(`${what}: would be skipped: ${plan.reason}\n`);
    return;
  }
  if (preview === null || !preview.ok) {
    tally.refused += 1;
    out.write(`${what}: the HeyGen client would refuse it: ${preview?.reason ?? 'no request built'}\n`);
    return;
  }
  tally.render += 1;
  const { method, url, headers, body } = preview.request;
  const lines = [`${method} ${url}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), '', JSON.stringify(body, null, 2)];
  const variant = plan.variant === null ? '' : `variant ${plan.variant}, `;
  out.write(`${what}: would render (${variant}render key ${plan.renderKey})\n${indent(lines.join('\n'))}\n`);
}

/** Reads, plans and prints the given records of the campaign; adds to `tally`. */
export async function dryRunRecords(ctx: DryRunContext, ids: readonly string[], tally: DryRunTally): Promise<void> {
  const { campaign, config } = ctx;
  const sources = await readCampaignSources(ctx.reader, campaign.object, ids.map((objectId) => ({ objectId, campaign })));
  const portalId = manualPortalId(config);
  for (const id of ids) {
    const plan = planRender(config, campaign, portalId, id, sources.get(id));
    const preview = plan.outcome === 'render' ? await previewCreateRequest(config.heygen.api, ctx.heygenApiBase, plan.request) : null;
    printPlan(ctx, plan, preview, tally);
  }
}

export function tallyLine(tally: DryRunTally): string {
  const parts = [`${tally.render} would render`, `${tally.skip} would be skipped`];
  if (tally.notFound > 0) parts.push(`${tally.notFound} not found`);
  if (tally.refused > 0) parts.push(`${tally.refused} refused by the HeyGen client`);
  return `dry run: ${parts.join(', ')}; nothing was stored, sent to HeyGen or written to HubSpot`;
}
