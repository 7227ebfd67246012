/**
 * The dashboard's campaign overview: per campaign, the figures operators
 * watch, and renders per day for the chart. Each figure is a named metric
 * read from one overview (`campaignFigures`); a new one is a field filled
 * here and one line in that list. Plays and CTA clicks are the video page's
 * (Reelay's own engagement totals).
 */
import type { ReelayConfig } from '../config/schema.js';
import { liveStates, renderStates, type RenderState } from '../core/states.js';
import type { Store } from '../store/db.js';
import { countBilledByCampaign, countByCampaignAndState, countFinishReasons } from '../store/campaign-overview.js';
import { engagementByCampaign } from '../store/engagement-by-campaign.js';
import { DAY_MS, rendersPerDay, type DayCounts } from '../store/renders-per-day.js';

export type { DayCounts };
export { DAY_MS };

/** The chart and the reasons look back this far. */
export const OVERVIEW_DAYS = 30;
const TOP_REASONS = 3;

export interface ReasonCount {
  reason: string;
  n: number;
}

export interface CampaignOverview {
  id: string;
  /** False for a campaign that is disabled, or no longer in the configuration but still has renders. */
  configured: boolean;
  enabled: boolean;
  /** Renders per state (every state present, zero when none). */
  states: Record<RenderState, number>;
  /** Every render of the campaign but the `expanded` triggers (each was replaced by its recipients' renders). */
  triggered: number;
  rendered: number;
  skipped: number;
  failed: number;
  /** Not finished yet: received, enriched, submitting or rendering. */
  inFlight: number;
  /** Renders HeyGen accepted since midnight UTC. */
  billedToday: number;
  billed30Days: number;
  /** Plays started on the video page, and call-to-action clicks. */
  plays: number;
  ctaClicks: number;
  topSkipped: ReasonCount[];
  topFailed: ReasonCount[];
}

export interface Overview {
  at: number;
  campaigns: CampaignOverview[];
  /** The last `OVERVIEW_DAYS` UTC days, oldest first, every day present. */
  days: DayCounts[];
}

export interface CampaignFigure {
  /** The `data-metric` hook (SPEC: rendered, skipped, failed, in_flight, billed_today, plays, cta_clicks). */
  metric: string;
  label: string;
  of(c: CampaignOverview): number;
}

export const campaignFigures: CampaignFigure[] = [
  { metric: 'triggered', label: 'Triggered', of: (c) => c.triggered },
  { metric: 'rendered', label: 'Rendered', of: (c) => c.rendered },
  { metric: 'skipped', label: 'Skipped', of: (c) => c.skipped },
  { metric: 'failed', label: 'Failed', of: (c) => c.failed },
  { metric: 'in_flight', label: 'In flight', of: (c) => c.inFlight },
  { metric: 'billed_today', label: 'Billed today', of: (c) => c.billedToday },
  { metric: 'billed_30_days', label: 'Billed, 30 days', of: (c) => c.billed30Days },
  { metric: 'plays', label: 'Plays', of: (c) => c.plays },
  { metric: 'cta_clicks', label: 'CTA clicks', of: (c) => c.ctaClicks },
];

function emptyStates(): Record<RenderState, number> {
  return Object.fromEntries(renderStates.map((s) => [s, 0])) as Record<RenderState, number>;
}

export function startOfUtcDay(at: number): number {
  return Math.floor(at / DAY_MS) * DAY_MS;
}

export async function campaignOverview(store: Store, config: ReelayConfig, now: number): Promise<Overview> {
  const today = startOfUtcDay(now);
  const since = today - (OVERVIEW_DAYS - 1) * DAY_MS;
  const counts = await countByCampaignAndState(store);
  const ids = [...new Set([...config.campaigns.map((c) => c.id), ...counts.map((c) => c.campaignId)])];
  const [billedToday, billed30, reasons, perDay, engagement] = await Promise.all([
    countBilledByCampaign(store, ids, today),
    countBilledByCampaign(store, ids, since),
    countFinishReasons(store, since),
    rendersPerDay(store, since),
    engagementByCampaign(store),
  ]);

  const byId = new Map<string, CampaignOverview>();
  const campaign = (id: string): CampaignOverview => {
    let c = byId.get(id);
    if (!c) {
      const configured = config.campaigns.find((x) => x.id === id);
      c = {
        id,
        configured: configured !== undefined,
        enabled: configured?.enabled ?? false,
        states: emptyStates(),
        triggered: 0,
        rendered: 0,
        skipped: 0,
        failed: 0,
        inFlight: 0,
        billedToday: billedToday.get(id) ?? 0,
        billed30Days: billed30.get(id) ?? 0,
        plays: engagement.get(id)?.plays ?? 0,
        ctaClicks: engagement.get(id)?.ctaClicks ?? 0,
        topSkipped: [],
        topFailed: [],
      };
      byId.set(id, c);
    }
    return c;
  };
  for (const c of config.campaigns) campaign(c.id);
  for (const row of counts) campaign(row.campaignId).states[row.state] = row.n;
  for (const c of byId.values()) {
    c.triggered = renderStates.filter((s) => s !== 'expanded').reduce((sum, s) => sum + c.states[s], 0);
    c.rendered = c.states.completed;
    c.skipped = c.states.skipped;
    c.failed = c.states.failed;
    c.inFlight = liveStates.reduce((sum, s) => sum + c.states[s], 0);
  }
  for (const r of reasons) {
    const list = r.state === 'failed' ? campaign(r.campaignId).topFailed : campaign(r.campaignId).topSkipped;
    if (list.length < TOP_REASONS) list.push({ reason: r.reason, n: r.n });
  }

  const known = new Map(perDay.map((d) => [d.day, d]));
  const firstDay = since / DAY_MS;
  const days = Array.from({ length: OVERVIEW_DAYS }, (_, i) => known.get(firstDay + i) ?? { day: firstDay + i, triggered: 0, completed: 0, failed: 0 });
  return { at: now, campaigns: [...byId.values()], days };
}
