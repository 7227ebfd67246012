/**
 * A render's plan, taken from the config when the render is enriched: the
 * settings of its campaign that later stages use. Frozen on the render, so
 * editing a campaign mid-flight changes only renders enriched afterwards.
 */
import type { CampaignConfig, ReelayConfig } from '../config/schema.js';
import type { RecordRef, RenderPlan } from './render.js';

export function planRender(
  config: Pick<ReelayConfig, 'heygen' | 'hubspot'>,
  campaign: Pick<CampaignConfig, 'writeback' | 'heygen'> & Partial<Pick<CampaignConfig, 'note' | 'review'>> | undefined,
  render: { recipient: RecordRef; trigger: RecordRef | null },
  /** The campaign variant chosen for the record (`core/variants.ts`), or null for the campaign's own template. */
  variant: string | null = null,
): RenderPlan {
  const mode = campaign?.writeback ?? 'recipient';
  const { status, url, jobId, error, thumbnailUrl } = config.hubspot.properties;
  return {
    heygen: { ...campaign?.heygen },
    writeback: { mode, targets: writebackTargets(mode, render) },
    link: config.heygen.link,
    properties: { status, url, jobId, error, thumbnailUrl },
    ...(campaign?.note ? { note: true } : {}),
    ...(campaign?.review === 'required' ? { review: 'required' as const } : {}),
    ...(variant !== null ? { variant } : {}),
  };
}

/** The records a render's results are written to: the recipient, the triggering record, or both. */
export function writebackTargets(mode: RenderPlan['writeback']['mode'], render: { recipient: RecordRef; trigger: RecordRef | null }): RecordRef[] {
  if (render.trigger === null) return [render.recipient];
  if (mode === 'record') return [render.trigger];
  if (mode === 'both') return [render.recipient, render.trigger];
  return [render.recipient];
}
