/**
 * The video page (`GET /v/:token` from a browser), rendered on the server:
 * a native `<video>` with a poster, the title, the campaign's branding and
 * call to action. Everything it loads is Reelay's own (same origin): the
 * stylesheet, the poster and logo, the player script, and the video itself
 * through `/v/TOKEN?raw=1`, which redirects to HeyGen's signed file URL — the
 * one outside origin, allowed for media only. The page works with scripts
 * off; the script (`/assets/reelay-player.js`, served by the engagement
 * routes) only reports plays. Every interpolated value is escaped: titles
 * come from CRM data.
 */
import { createHash } from 'node:crypto';
import { escapeHtml } from './html.js';

export interface VideoPageView {
  token: string;
  title: string;
  /** `page.brandColor` (validated `#rgb`/`#rrggbb`). */
  brandColor?: string;
  /** Whether the campaign has a logo (served at `/v/TOKEN/logo.png`). */
  logo: boolean;
  cta?: { label: string; url: string };
  /** The served stylesheet's address (versioned by its content). */
  stylesheet: string;
}

export interface RenderedPage {
  html: string;
  /** The `Content-Security-Policy` header the page needs, exactly. */
  contentSecurityPolicy: string;
}

const DEFAULT_BRAND = '#1f4fd1';

/** Expands `#rgb` to `#rrggbb`. */
function longHex(colour: string): string {
  return colour.length === 4 ? `#${[...colour.slice(1)].map((c) => c + c).join('')}` : colour;
}

function luminance(colour: string): number {
  const hex = longHex(colour);
  const [r, g, b] = [1, 3, 5].map((i) => {
    const v = parseInt(hex.slice(i, i + 2), 16) / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

const contrast = (a: number, b: number): number => (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);

/** Black or white, whichever reads better on the brand colour (so any brand colour keeps the button legible). */
export function textOn(colour: string): '#000000' | '#ffffff' {
  const l = luminance(colour);
  return contrast(l, 0) >= contrast(l, 1) ? '#000000' : '#ffffff';
}

/**
 * The CSP of the page: nothing but Reelay's own origin, plus HeyGen's file
 * origin for media only (the video's `src` redirects there). The brand
 * colour comes in one `<style>` element allowed by its hash; no inline script.
 */
export function videoPageCsp(mediaOrigin: string | undefined, styleHash: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "connect-src 'self'",
    "img-src 'self'",
    `media-src 'self'${mediaOrigin ? ` ${mediaOrigin}` : ''}`,
    `style-src 'self' '${styleHash}'`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The page and the CSP that lets exactly it run; `mediaOrigin`: the origin `/v/TOKEN?raw=1` redirects to now. */
export function renderVideoPage(view: VideoPageView, mediaOrigin: string | undefined): RenderedPage {
  const brand = longHex(view.brandColor ?? DEFAULT_BRAND).toLowerCase();
  const style = `:root{--brand:${brand};--brand-text:${textOn(brand)}}`;
  const styleHash = `sha256-${createHash('sha256').update(style).digest('base64')}`;
  const base = `/v/${encodeURIComponent(view.token)}`;
  const title = escapeHtml(view.title);
  const logo = view.logo ? `<header class="brand"><img class="logo" src="${base}/logo.png" alt="Logo"></header>` : '';
  const cta = view.cta
    ? `<p class="cta-row"><a id="reelay-cta" class="cta" href="${escapeHtml(view.cta.url)}" rel="noopener noreferrer">${escapeHtml(view.cta.label)}</a></p>`
    : '';
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex, nofollow">
<title>${title}</title>
<link rel="stylesheet" href="${escapeHtml(view.stylesheet)}">
<style>${style}</style>
<script src="/assets/reelay-player.js" defer></script>
</head>
<body>
<main class="page">
${logo}<h1>${title}</h1>
<div class="player">
<video id="reelay-video" data-events-url="${base}/events" src="${base}?raw=1" poster="${base}/poster.jpg" controls playsinline preload="metadata" aria-label="${title}">
<p>Your browser cannot play this video here. <a href="${base}?raw=1">Open the video</a>.</p>
</video>
</div>
${cta}</main>
</body>
</html>
`;
  return { html, contentSecurityPolicy: videoPageCsp(mediaOrigin, styleHash) };
}
