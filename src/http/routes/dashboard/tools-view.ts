/** The sign-in form, queue health and the dry-run preview. */
import type { PreviewOutcome } from '../../../app/preview-render.js';
import type { QueueHealth } from '../../../app/queue-health.js';
import { html, type Html } from './html.js';
import { errorBox, formatTime } from './layout.js';

export function signInBody(message: string | undefined): Html {
  return html`${errorBox(message)}
<form method="post" action="/dashboard/sign-in" class="stack">
<label>Admin token (<code>REELAY_ADMIN_TOKEN</code>)<input type="password" name="token" autocomplete="current-password" required></label>
<button type="submit">Sign in</button>
</form>`;
}

function limit(n: number): string {
  return Number.isFinite(n) ? String(n) : 'no limit';
}

export function queuesBody(health: QueueHealth): Html {
  const { hubspot, heygen } = health;
  return html`<h2 id="pauses-heading">Queues</h2>
<table aria-labelledby="pauses-heading">
<thead><tr><th scope="col">Queue</th><th scope="col">Status</th><th scope="col">Reason</th><th scope="col">Since</th></tr></thead>
<tbody>${health.pauses.map(
  (p) => html`<tr data-queue="${p.scope}"><th scope="row">${p.scope}</th><td data-paused="${p.pause ? 'true' : 'false'}">${p.pause ? 'paused' : 'running'}</td><td>${p.pause ? html`${p.pause.code}: ${p.pause.reason}` : ''}</td><td>${formatTime(p.pause?.since)}</td></tr>`,
)}</tbody>
</table>
<h2 id="budget-heading">HubSpot request budget</h2>
<table aria-labelledby="budget-heading">
<thead><tr><th scope="col">Window</th><th scope="col" class="n">In use</th><th scope="col" class="n">Limit</th></tr></thead>
<tbody>
<tr><th scope="row">API, rolling ${hubspot.api.windowMs / 1000} s</th><td class="n" data-metric="hubspot_api_used">${hubspot.api.used}</td><td class="n">${limit(hubspot.api.limit)}</td></tr>
<tr><th scope="row">Search, rolling ${hubspot.search.windowMs / 1000} s</th><td class="n" data-metric="hubspot_search_used">${hubspot.search.used}</td><td class="n">${limit(hubspot.search.limit)}</td></tr>
<tr><th scope="row">Today (${hubspot.today.timeZone}), this process</th><td class="n" data-metric="hubspot_daily_used">${hubspot.today.used}</td><td class="n">${limit(hubspot.today.limit)}</td></tr>
</tbody>
</table>
<h2 id="credits-heading">Credit budgets today (UTC)</h2>
${health.credits.length === 0
  ? html`<p>No credit budget is set (<code>budgets:</code> in the configuration).</p>`
  : html`<table aria-labelledby="credits-heading">
<thead><tr><th scope="col">Scope</th><th scope="col" class="n">Billed</th><th scope="col" class="n">Cap</th><th scope="col">Status</th></tr></thead>
<tbody>${health.credits.map(
  (c) => html`<tr data-budget="${c.scope}"><th scope="row">${c.scope}</th><td class="n" data-metric="budget_used">${c.used}</td><td class="n">${c.cap ?? ''}</td><td>${c.exhausted ? 'at the cap: renders wait' : 'open'}</td></tr>`,
)}</tbody>
</table>`}
<h2 id="heygen-heading">HeyGen concurrency</h2>
<table aria-labelledby="heygen-heading">
<thead><tr><th scope="col">Renders in flight</th><th scope="col" class="n">Window now</th><th scope="col" class="n">Plan limit (heygen.concurrency)</th></tr></thead>
<tbody><tr><td class="n" data-metric="heygen_in_flight">${heygen.inFlight}</td><td class="n" data-metric="heygen_window">${heygen.window}</td><td class="n">${heygen.limit}</td></tr></tbody>
</table>`;
}

export function previewBody(campaigns: string[], chosen: { campaign: string; objectId: string }, outcome: PreviewOutcome | undefined): Html {
  return html`<p>Reads the record from HubSpot as the engine would and shows the exact HeyGen request, or why the record would be skipped. Nothing is stored, sent to HeyGen or written to HubSpot.</p>
<form method="get" action="/dashboard/preview" class="filters">
<label>Campaign<select name="campaign" required>${campaigns.map((c) => html`<option value="${c}"${c === chosen.campaign ? html` selected` : ''}>${c}</option>`)}</select></label>
<label>Record id<input name="objectId" inputmode="numeric" pattern="[0-9]+" value="${chosen.objectId}" required></label>
<button type="submit">Preview</button>
</form>
${outcome === undefined ? '' : previewResult(outcome)}`;
}

function previewResult(outcome: PreviewOutcome): Html {
  if (!outcome.ok) return errorBox(outcome.reason);
  const p = outcome.preview;
  switch (p.outcome) {
    case 'not_found':
      return html`<p class="error" role="alert" data-outcome="not_found">No such record in HubSpot.</p>`;
    case 'skip':
      return html`<p class="error" role="alert" data-outcome="skip">Would be skipped: ${p.reason}</p>`;
    case 'refused':
      return html`<p class="error" role="alert" data-outcome="refused">The HeyGen client would refuse it: ${p.reason}</p>`;
    case 'render': {
      const { method, url, headers, body } = p.request;
      const text = [`${method} ${url}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), '', JSON.stringify(body, null, 2)].join('\n');
      return html`<div data-outcome="render"><p>Would render (${p.variant === null ? '' : html`variant <code>${p.variant}</code>, `}render key <code>${p.renderKey}</code>). The request:</p><pre>${text}</pre></div>`;
    }
  }
}
