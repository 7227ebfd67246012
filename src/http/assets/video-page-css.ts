/**
 * The video page's stylesheet, served at `/assets/reelay-page.css?v=<hash>`
 * (kept as a TS module: tsc copies no other files into `dist/`). The brand
 * colour arrives as the custom properties `--brand` and `--brand-text`.
 */
import { createHash } from 'node:crypto';

export const VIDEO_PAGE_CSS = `*,*::before,*::after{box-sizing:border-box}
html{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;line-height:1.5;color:#111827;background:#f3f4f6}
body{margin:0}
.page{max-width:960px;margin:0 auto;padding:24px 16px 48px}
.brand{margin-bottom:16px}
.logo{display:block;max-height:48px;max-width:240px;width:auto;height:auto}
h1{font-size:clamp(1.25rem,2.5vw + 0.75rem,2rem);line-height:1.25;margin:0 0 16px;overflow-wrap:anywhere}
.player{background:#000;border-radius:12px;overflow:hidden;box-shadow:0 10px 30px rgba(0,0,0,.15);border-top:4px solid var(--brand)}
video{display:block;width:100%;height:auto;aspect-ratio:16/9;background:#000}
video p{color:#fff;padding:16px}
video a{color:#fff}
.cta-row{margin:24px 0 0;text-align:center}
.cta{display:inline-block;padding:14px 28px;border-radius:999px;background:var(--brand);color:var(--brand-text);font-weight:600;font-size:1.125rem;text-decoration:none;max-width:100%;overflow-wrap:anywhere}
.cta:hover,.cta:focus-visible{filter:brightness(1.08);text-decoration:underline}
.cta:focus-visible{outline:3px solid #111827;outline-offset:3px}
@media (max-width:480px){.page{padding:16px 12px 32px}.player{border-radius:8px}.cta{display:block}}
@media (prefers-color-scheme:dark){html{color:#f9fafb;background:#111827}.cta:focus-visible{outline-color:#f9fafb}}
`;

export const VIDEO_PAGE_CSS_PATH = `/assets/reelay-page.css?v=${createHash('sha256').update(VIDEO_PAGE_CSS).digest('hex').slice(0, 12)}`;
