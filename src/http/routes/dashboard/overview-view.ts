/** The overview page: a row per campaign with its figures, and the chart of renders per day. */
import { campaignFigures, DAY_MS, type CampaignOverview, type DayCounts, type Overview } from '../../../app/dashboard-overview.js';
import { html, type Html } from './html.js';
import { notice } from './layout.js';

export function overviewBody(overview: Overview, flash: string | undefined): Html {
  return html`${notice(flash)}
<h2 id="campaigns-heading">Campaigns</h2>
<table aria-labelledby="campaigns-heading">
<thead><tr><th scope="col">Campaign</th>${campaignFigures.map((f) => html`<th scope="col" class="n">${f.label}</th>`)}<th scope="col">Top reasons, 30 days</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
<tbody>
${overview.campaigns.map(campaignRow)}
</tbody>
</table>
${overview.campaigns.length === 0 ? html`<p class="muted">No campaigns are configured.</p>` : ''}
<h2 id="chart-heading">Renders per day, last ${overview.days.length} days (UTC)</h2>
${chart(overview.days)}`;
}

function campaignRow(c: CampaignOverview): Html {
  const listed = `/dashboard/renders?campaign=${encodeURIComponent(c.id)}`;
  const status = !c.configured ? ' (not configured)' : !c.enabled ? ' (disabled)' : '';
  return html`<tr data-campaign="${c.id}">
<th scope="row"><a href="${listed}">${c.id}</a><span class="muted">${status}</span></th>
${campaignFigures.map((f) => html`<td class="n" data-metric="${f.metric}">${f.of(c)}</td>`)}
<td>${reasons('failed', c.topFailed)}${reasons('skipped', c.topSkipped)}</td>
<td>${c.failed > 0 ? html`<a class="button secondary" href="/dashboard/campaigns/${encodeURIComponent(c.id)}/retry-failed">Retry ${c.failed} failed</a>` : ''}</td>
</tr>`;
}

function reasons(what: string, list: { reason: string; n: number }[]): Html {
  if (list.length === 0) return html``;
  return html`<span class="muted">${what}:</span><ul class="reasons">${list.map((r) => html`<li>${r.reason} (${r.n})</li>`)}</ul>`;
}

function dayLabel(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Completed (and failed) renders per day as an SVG bar chart; the numbers in a table beside it. */
export function chart(days: DayCounts[]): Html {
  const width = 900;
  const height = 220;
  const pad = { left: 40, right: 10, top: 10, bottom: 30 };
  const max = Math.max(1, ...days.map((d) => d.completed + d.failed));
  const slot = (width - pad.left - pad.right) / Math.max(1, days.length);
  const barWidth = Math.max(2, slot * 0.7);
  const scale = (n: number) => ((height - pad.top - pad.bottom) * n) / max;
  const total = days.reduce((s, d) => s + d.completed, 0);
  const bars = days.map((d, i) => {
    const x = pad.left + i * slot + (slot - barWidth) / 2;
    const hc = scale(d.completed);
    const hf = scale(d.failed);
    const base = height - pad.bottom;
    return html`<rect class="bar" x="${x.toFixed(1)}" y="${(base - hc).toFixed(1)}" width="${barWidth.toFixed(1)}" height="${hc.toFixed(1)}"></rect><rect class="bar-failed" x="${x.toFixed(1)}" y="${(base - hc - hf).toFixed(1)}" width="${barWidth.toFixed(1)}" height="${hf.toFixed(1)}"></rect>${
      i % 5 === 0 ? html`<text x="${x.toFixed(1)}" y="${height - 12}">${dayLabel(d.day).slice(5)}</text>` : ''
    }`;
  });
  return html`<figure class="chart">
<svg viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="chart-title chart-desc" xmlns="http://www.w3.org/2000/svg">
<title id="chart-title">Renders completed per day</title>
<desc id="chart-desc">${total} renders completed in the last ${days.length} days; failures are stacked in red on top. The table below gives every day's numbers.</desc>
<line class="axis" x1="${pad.left}" y1="${height - pad.bottom}" x2="${width - pad.right}" y2="${height - pad.bottom}"></line>
<text x="4" y="${pad.top + 8}">${max}</text><text x="4" y="${height - pad.bottom}">0</text>
${bars}
</svg>
<figcaption class="sr-only">Renders per day</figcaption>
</figure>
<details><summary>Renders per day as a table</summary>
<table>
<thead><tr><th scope="col">Day (UTC)</th><th scope="col" class="n">Triggered</th><th scope="col" class="n">Completed</th><th scope="col" class="n">Failed</th></tr></thead>
<tbody>${days.map((d) => html`<tr><td>${dayLabel(d.day)}</td><td class="n">${d.triggered}</td><td class="n">${d.completed}</td><td class="n">${d.failed}</td></tr>`)}</tbody>
</table>
</details>`;
}
