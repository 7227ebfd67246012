/** The page shell every dashboard page shares: title, stylesheet, navigation, sign-out. */
import { html, type Html } from './html.js';

export type Section = 'overview' | 'renders' | 'queues' | 'preview' | 'sign-in';

const NAV: { section: Section; href: string; label: string }[] = [
  { section: 'overview', href: '/dashboard', label: 'Overview' },
  { section: 'renders', href: '/dashboard/renders', label: 'Renders' },
  { section: 'queues', href: '/dashboard/queues', label: 'Queue health' },
  { section: 'preview', href: '/dashboard/preview', label: 'Dry run' },
];

export interface PageOptions {
  title: string;
  section: Section;
  /** The session's CSRF token; absent on the sign-in page (no navigation then). */
  csrfToken?: string;
  body: Html;
}

export function page(o: PageOptions): string {
  const nav =
    o.csrfToken === undefined
      ? html``
      : html`<nav aria-label="Dashboard"><ul>${NAV.map(
          (n) => html`<li><a href="${n.href}"${n.section === o.section ? html` aria-current="page"` : ''}>${n.label}</a></li>`,
        )}</ul></nav>
      <form method="post" action="/dashboard/sign-out">${csrfField(o.csrfToken)}<button type="submit">Sign out</button></form>`;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>${o.title} · Reelay</title>
<link rel="stylesheet" href="/dashboard/style.css">
</head>
<body>
<header class="top"><span class="brand">Reelay</span>${nav}</header>
<main>
<h1>${o.title}</h1>
${o.body}
</main>
</body>
</html>
`.text;
}

export function csrfField(token: string): Html {
  return html`<input type="hidden" name="_csrf" value="${token}">`;
}

export function formatTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '';
  return new Date(ms).toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, ' UTC');
}

export function stateBadge(state: string): Html {
  return html`<span class="state state-${state}">${state}</span>`;
}

export function notice(text: string | undefined): Html {
  return text === undefined ? html`` : html`<p class="notice" role="status">${text}</p>`;
}

export function errorBox(text: string | undefined): Html {
  return text === undefined ? html`` : html`<p class="error" role="alert">${text}</p>`;
}
