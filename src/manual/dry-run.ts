/**
 * Dry runs: read the records as the engine would, map them, and print the
 * exact HeyGen request each would send, or why it would be skipped. Nothing
 * is stored, nothing is sent to HeyGen, nothing is written to HubSpot.
 */
import type { CampaignConfig, ReelayConfig } from '../config/schema.js';
import type { TextOut } from '../setup/report-lines.js';
import { manualPortalId } from './manual-event.js';
import { readCampaignSources, type SourceReader } from '../engine/read-sources.js';
import { planRender } from './render-plan.js';
import { previewCreateRequest, type RequestPreview } from './request-preview.js';

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

/** What one record would come to: the exact request, or why not. */
export type RecordPreview =
  | { objectId: string; outcome: 'render'; renderKey: string; /** The campaign variant chosen for the record, null for the campaign's own template. */ variant: string | null; request: RequestPreview }
  | { objectId: string; outcome: 'skip'; reason: string }
  | { objectId: string; outcome: 'not_found' }
  /** The HeyGen client would refuse before sending (a configuration problem). */
  | { objectId: string; outcome: 'refused'; reason: string };

export type PreviewContext = Omit<DryRunContext, 'out'>;

/** Reads and plans the given records of the campaign; nothing is stored or sent to HeyGen. */
export async function previewRecords(ctx: PreviewContext, ids: readonly string[]): Promise<RecordPreview[]> {
  const { campaign, config } = ctx;
  const sources = await readCampaignSources(ctx.reader, campaign.object, ids.map((objectId) => ({ objectId, campaign })));
  const portalId = manualPortalId(config);
  const previews: RecordPreview[] = [];
  for (const id of ids) {
    const plan = planRender(config, campaign, portalId, id, sources.get(id));
    if (plan.outcome !== 'render') {
      previews.push(plan);
      continue;
    }
    const preview = await previewCreateRequest(config.heygen.api, ctx.heygenApiBase, plan.request);
    previews.push(preview.ok ? { objectId: id, outcome: 'render', renderKey: plan.renderKey, variant: plan.variant, request: preview.request } : { objectId: id, outcome: 'refused', reason: preview.reason });
  }
  return previews;
}

function printPreview(ctx: DryRunContext, preview: RecordPreview, tally: DryRunTally): void {
  const { campaign, out } = ctx;
  const what = `${campaign.object}/${preview.objectId} (campaign ${campaign.id})`;
  switch (preview.outcome) {
    case 'not_found':
      tally.notFound += 1;
      out.write(`${what}: no such record in HubSpot\n`);
      return;
    case 'skip':
      tally.skip += 1;
      out.write(`${what}: would be skipped: ${preview.reason}\n`);
      return;
    case 'refused':
      tally.refused += 1;
      out.write(`${what}: the HeyGen client would refuse it: ${preview.reason}\n`);
      return;
    case 'render': {
      tally.render += 1;
      const { method, url, headers, body } = preview.request;
      const lines = [`${method} ${url}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), '', JSON.stringify(body, null, 2)];
      out.write(`${what}: would render (${preview.variant === null ? '' : `variant ${preview.variant}, `}render key ${preview.renderKey})\n${indent(lines.join('\n'))}\n`);
    }
  }
}

/** Reads, plans and prints the given records of the campaign; adds to `tally`. */
export async function dryRunRecords(ctx: DryRunContext, ids: readonly string[], tally: DryRunTally): Promise<void> {
  for (const preview of await previewRecords(ctx, ids)) printPreview(ctx, preview, tally);
}

export function tallyLine(tally: DryRunTally): string {
  const parts = [`${tally.render} would render`, `${tally.skip} would be skipped`];
  if (tally.notFound > 0) parts.push(`${tally.notFound} not found`);
  if (tally.refused > 0) parts.push(`${tally.refused} refused by the HeyGen client`);
  return `dry run: ${parts.join(', ')}; nothing was stored, sent to HeyGen or written to HubSpot`;
}
