/**
 * The dashboard's campaign overview: per campaign, the figures operators
 * watch, and renders per day for the chart. Each figure is a named metric
 * read from one overview (`campaignFigures`); a new one is a field filled
 * here and one line in that list. Plays and CTA clicks are the video page's
 * (Reelay's own engagement totals). The render figures come from the render
 * statistics (migration 014), which triggers keep as renders change: the
 * page costs the same at a million renders as at ten.
 */
import type { ReelayConfig } from '../config/schema.js';
import { liveStates, renderStates, type RenderState } from '../core/states.js';
import type { Store } from '../store/db.js';
import { engagementByCampaign } from '../store/engagement-by-campaign.js';
import { DAY_MS } from '../core/schedule.js';
import { readRenderStats } from '../store/read-render-stats.js';

export { DAY_MS };

/** The chart and the reasons look back this far. */
export const OVERVIEW_DAYS = 30;
const TOP_REASONS = 3;

export interface DayCounts {
  /** Days since the epoch (UTC). */
  day: number;
  triggered: number;
  completed: number;
  failed: number;
}

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
  const todayDay = today / DAY_MS;
  const firstDay = todayDay - (OVERVIEW_DAYS - 1);
  const [stats, engagement] = await Promise.all([readRenderStats(store, firstDay), engagementByCampaign(store)]);

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
        billedToday: 0,
        billed30Days: 0,
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
  // Campaigns no longer configured follow, by id.
  stats.sort((a, b) => (a.campaignId < b.campaignId ? -1 : a.campaignId > b.campaignId ? 1 : 0));

  const perDay = new Map<number, DayCounts>();
  const day = (d: number): DayCounts => {
    let row = perDay.get(d);
    if (!row) {
      row = { day: d, triggered: 0, completed: 0, failed: 0 };
      perDay.set(d, row);
    }
    return row;
  };
  const reasons = new Map<string, { campaignId: string; state: 'failed' | 'skipped'; reason: string; n: number }>();
  // The states of all time; every other statistic is of the last OVERVIEW_DAYS days.
  for (const s of stats) {
    if (s.metric === 'state') {
      if ((renderStates as readonly string[]).includes(s.key)) campaign(s.campaignId).states[s.key as RenderState] = s.n;
    } else if (s.metric === 'billed') {
      const c = campaign(s.campaignId);
      c.billed30Days += s.n;
      if (s.day >= todayDay) c.billedToday += s.n;
    } else if (s.metric === 'triggered') {
      day(s.day).triggered += s.n;
    } else if (s.metric === 'finished') {
      if (s.key === 'completed') day(s.day).completed += s.n;
      else if (s.key === 'failed') day(s.day).failed += s.n;
    } else if (s.metric === 'failed_reason' || s.metric === 'skipped_reason') {
      const state = s.metric === 'failed_reason' ? 'failed' : 'skipped';
      const id = JSON.stringify([s.campaignId, state, s.key]);
      const r = reasons.get(id);
      if (r) r.n += s.n;
      else reasons.set(id, { campaignId: s.campaignId, state, reason: s.key, n: s.n });
    }
  }
  for (const c of byId.values()) {
    c.triggered = renderStates.filter((s) => s !== 'expanded').reduce((sum, s) => sum + c.states[s], 0);
    c.rendered = c.states.completed;
    c.skipped = c.states.skipped;
    c.failed = c.states.failed;
    c.inFlight = liveStates.reduce((sum, s) => sum + c.states[s], 0);
  }
  // Most frequent first (equally frequent: by reason, so the order is stable).
  const ranked = [...reasons.values()].sort((a, b) => b.n - a.n || (a.reason < b.reason ? -1 : a.reason > b.reason ? 1 : 0));
  for (const r of ranked) {
    const list = r.state === 'failed' ? campaign(r.campaignId).topFailed : campaign(r.campaignId).topSkipped;
    if (list.length < TOP_REASONS) list.push({ reason: r.reason, n: r.n });
  }

  const days = Array.from({ length: OVERVIEW_DAYS }, (_, i) => perDay.get(firstDay + i) ?? { day: firstDay + i, triggered: 0, completed: 0, failed: 0 });
  return { at: now, campaigns: [...byId.values()], days };
}
