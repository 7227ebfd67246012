import type { Store } from './db.js';

export interface CampaignEngagement {
  plays: number;
  ctaClicks: number;
}

/**
 * Plays and CTA clicks per campaign, from Reelay's own totals. A render
 * written back to two records (`writeback: both`) has a row for each with
 * the same counts: each render counts once.
 */
export async function engagementByCampaign(store: Store): Promise<Map<string, CampaignEngagement>> {
  const perRender = store.db
    .selectFrom('engagement')
    .select(['render_id', (eb) => eb.fn.max('plays').as('plays'), (eb) => eb.fn.max('cta_clicks').as('cta_clicks')])
    .groupBy('render_id')
    .as('e');
  const rows = await store.db
    .selectFrom(perRender)
    .innerJoin('renders', 'renders.id', 'e.render_id')
    .select(['renders.campaign_id', (eb) => eb.fn.sum<number>('e.plays').as('plays'), (eb) => eb.fn.sum<number>('e.cta_clicks').as('cta_clicks')])
    .groupBy('renders.campaign_id')
    .execute();
  return new Map(rows.map((r) => [r.campaign_id, { plays: Number(r.plays), ctaClicks: Number(r.cta_clicks) }]));
}
