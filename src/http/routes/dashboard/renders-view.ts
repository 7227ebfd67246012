/** The render list (filters, keyset paging), a render's page, and the confirmation step of an action. */
import { actionsFor, type RenderAction } from '../../../app/dashboard-actions.js';
import type { RenderListPage } from '../../../app/dashboard-renders.js';
import type { RenderDetail } from '../../../app/show-render.js';
import { objectTypes } from '../../../config/schema.js';
import { renderStates } from '../../../core/states.js';
import { externalUrl, html, withQuery, type Html } from './html.js';
import { csrfField, formatTime, notice, stateBadge } from './layout.js';

/** The list's filters as the form holds them (strings; empty = any). */
export interface ListFilterForm {
  campaign: string;
  state: string;
  object: string;
  from: string;
  to: string;
}

export function listBody(list: RenderListPage, form: ListFilterForm, campaigns: string[]): Html {
  const select = (name: keyof ListFilterForm, label: string, options: readonly string[]) =>
    html`<label>${label}<select name="${name}"><option value="">any</option>${options.map(
      (o) => html`<option value="${o}"${o === form[name] ? html` selected` : ''}>${o}</option>`,
    )}</select></label>`;
  const next = list.nextBeforeId === undefined ? undefined : withQuery('/dashboard/renders', { ...form, before: list.nextBeforeId });
  return html`<form class="filters" method="get" action="/dashboard/renders" role="search" aria-label="Filter renders">
${select('campaign', 'Campaign', campaigns)}
${select('state', 'State', renderStates)}
${select('object', 'Object type', objectTypes)}
<label>Created from (UTC day)<input type="date" name="from" value="${form.from}"></label>
<label>Created until (UTC day, inclusive)<input type="date" name="to" value="${form.to}"></label>
<button type="submit">Filter</button>
<a class="button secondary" href="/dashboard/renders">Clear</a>
</form>
<table aria-label="Renders, newest first">
<thead><tr><th scope="col">Render</th><th scope="col">Campaign</th><th scope="col">Record</th><th scope="col">State</th><th scope="col">Title</th><th scope="col">Reason</th><th scope="col">Created</th></tr></thead>
<tbody>
${list.renders.map(
  (r) => html`<tr data-render="${r.id}"><td><a href="/dashboard/renders/${r.id}">#${r.id}</a></td><td>${r.campaign_id}</td><td>${r.object_type}/${r.object_id}</td><td>${stateBadge(r.state)}</td><td>${r.title ?? ''}</td><td>${r.error_message ?? r.error_code ?? ''}</td><td>${formatTime(r.created_at)}</td></tr>`,
)}
</tbody>
</table>
${list.renders.length === 0 ? html`<p class="muted">No renders match.</p>` : ''}
<nav class="actions" aria-label="Pages">${next === undefined ? '' : html`<a class="button secondary" rel="next" href="${next}">Older renders</a>`}</nav>`;
}

export function detailBody(detail: RenderDetail, flash: string | undefined): Html {
  const r = detail.render;
  const variables = parseVariables(r.variables);
  const page = r.link_token ? `/v/${encodeURIComponent(r.link_token)}` : undefined;
  const share = externalUrl(r.share_url);
  const direct = externalUrl(r.video_url);
  const video = page ?? direct;
  return html`${notice(flash)}
<div class="actions">${actionsFor(r.state).map((a) => html`<a class="button" href="/dashboard/renders/${r.id}/${a.name}">${a.label}</a>`)}</div>
<div class="card">
<dl class="facts">
<dt>State</dt><dd data-state="${r.state}">${stateBadge(r.state)}</dd>
<dt>Campaign</dt><dd>${r.campaign_id}</dd>
<dt>CRM record</dt><dd data-record="${r.object_type}/${r.object_id}">${r.object_type} ${r.object_id}${r.trigger_object_id ? html` <span class="muted">(triggered by ${r.trigger_object_type} ${r.trigger_object_id})</span>` : ''}</dd>
<dt>Portal</dt><dd>${r.portal_id}</dd>
<dt>Template</dt><dd>${r.template_id} <span class="muted">(HeyGen API ${r.api}, submission ${r.submission})</span></dd>
<dt>Title</dt><dd>${r.title ?? ''}</dd>
<dt>HeyGen video</dt><dd>${r.video_id ?? ''}${r.heygen_status ? html` <span class="muted">(${r.heygen_status})</span>` : ''}</dd>
<dt>Video page</dt><dd>${page ? html`<a href="${page}">${page}</a>` : html`<span class="muted">none yet</span>`}${share ? html` · <a href="${share}" rel="noreferrer">HeyGen share page</a>` : ''}</dd>
<dt>Error</dt><dd>${r.error_code ? html`${r.error_code}: ${r.error_message ?? ''}` : (r.error_message ?? '')}</dd>
<dt>Created</dt><dd>${formatTime(r.created_at)}</dd>
<dt>Finished</dt><dd>${formatTime(r.finished_at)}</dd>
</dl>
</div>
${r.state === 'completed' && video ? html`<h2>Video</h2><video controls preload="none" src="${video}"><a href="${video}">Open the video</a></video>` : ''}
<h2 id="variables-heading">Variables sent</h2>
${
  variables === undefined
    ? html`<p class="muted">Not mapped yet.</p>`
    : html`<table aria-labelledby="variables-heading"><thead><tr><th scope="col">Variable</th><th scope="col">Value</th></tr></thead><tbody>${Object.entries(variables).map(
        ([k, v]) => html`<tr><th scope="row">${k}</th><td>${typeof v === 'string' ? v : JSON.stringify(v)}</td></tr>`,
      )}</tbody></table>`
}
<h2 id="timeline-heading">Timeline</h2>
<table aria-labelledby="timeline-heading">
<thead><tr><th scope="col">At</th><th scope="col">Change</th><th scope="col">Note</th></tr></thead>
<tbody>${detail.timeline.map(
  (t) => html`<tr><td>${formatTime(t.at)}</td><td>${t.from_state ? html`${t.from_state} → ` : ''}${t.to_state}</td><td>${t.note}</td></tr>`,
)}</tbody>
</table>`;
}

function parseVariables(text: string | null): Record<string, unknown> | undefined {
  if (text === null) return undefined;
  try {
    const parsed = JSON.parse(text) as unknown;
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : { value: parsed };
  } catch {
    return { raw: text };
  }
}

/** The confirmation step: a form that posts the action, and a way back. Works without scripts. */
export function confirmBody(question: string, actionPath: string, button: string, back: string, csrfToken: string, fields: RenderAction['fields'] = []): Html {
  return html`<div class="card">
<p>${question}</p>
<form method="post" action="${actionPath}" class="actions">
${csrfField(csrfToken)}
${fields.map((f) => html`<label>${f.label}<input name="${f.name}" required maxlength="500"></label>`)}
<button type="submit" class="danger">${button}</button>
<a class="button secondary" href="${back}">Go back</a>
</form>
</div>`;
}

export function confirmRenderAction(action: RenderAction, id: number, csrfToken: string): Html {
  return confirmBody(action.confirm, `/dashboard/renders/${id}/${action.name}`, `${action.label} render #${id}`, `/dashboard/renders/${id}`, csrfToken, action.fields);
}
