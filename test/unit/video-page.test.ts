/**
 * The video page's pure parts: the HTML (every CRM value escaped, the
 * contract with the player script kept), its CSP (exactly what the page
 * needs: the style element's hash matches), the legible text colour on any
 * brand colour, the `page:` configuration's validation, and the thumbnail
 * in the note.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { InvalidConfigError, parseConfig } from '../../src/config/load.js';
import { renderVideoPage, textOn } from '../../src/core/video-page.js';
import { noteBody } from '../../src/engine/effects/note.js';

const TOKEN = 'AbCdEfGhIjKlMnOpQrStUvWxYz012345';
const view = { token: TOKEN, title: 'Intro', logo: false, stylesheet: '/assets/reelay-page.css?v=1' };

describe('renderVideoPage', () => {
  it('escapes a hostile title and call to action everywhere they appear', () => {
    const hostile = `"><script>alert(1)</script><img src=x onerror=alert(2)>'&`;
    const { html } = renderVideoPage({ ...view, title: hostile, cta: { label: hostile, url: `https://example.com/?q="><script>` } }, 'https://files.heygen.ai');
    expect(html).not.toMatch(/<script>alert/);
    expect(html).not.toMatch(/<img src=x/);
    expect(html).toContain('&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;&#39;&amp;');
    expect(html).toContain('href="https://example.com/?q=&quot;&gt;&lt;script&gt;"');
  });

  it('keeps the contract with the player script: ids, events URL, script tag; the CTA is a plain link', () => {
    const { html } = renderVideoPage({ ...view, cta: { label: 'Book', url: 'https://example.com/book' } }, 'https://files.heygen.ai');
    expect(html).toContain('<script src="/assets/reelay-player.js" defer></script>');
    expect(html).toContain(`<video id="reelay-video" data-events-url="/v/${TOKEN}/events" src="/v/${TOKEN}?raw=1" poster="/v/${TOKEN}/poster.jpg" controls`);
    expect(html).toContain('<a id="reelay-cta" class="cta" href="https://example.com/book" rel="noopener noreferrer">Book</a>');
    expect(html).not.toContain('reelay-cta" class="cta" href="" ');
    expect(renderVideoPage(view, undefined).html).not.toContain('reelay-cta');
    expect(renderVideoPage(view, undefined).html).not.toContain('logo.png');
    expect(renderVideoPage({ ...view, logo: true }, undefined).html).toContain(`<img class="logo" src="/v/${TOKEN}/logo.png" alt="Logo">`);
  });

  it('has a CSP that allows exactly its own style element, its own origin, and media from HeyGen', () => {
    const { html, contentSecurityPolicy: csp } = renderVideoPage({ ...view, brandColor: '#0F0' }, 'https://files2.heygen.ai');
    const style = /<style>([^<]*)<\/style>/.exec(html)?.[1] ?? '';
    expect(style).toBe(':root{--brand:#00ff00;--brand-text:#000000}');
    const hash = createHash('sha256').update(style).digest('base64');
    expect(csp).toBe(
      `default-src 'none'; script-src 'self'; connect-src 'self'; img-src 'self'; media-src 'self' https://files2.heygen.ai; style-src 'self' 'sha256-${hash}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
    );
    expect(renderVideoPage(view, undefined).contentSecurityPolicy).toContain("media-src 'self';");
  });

  it('picks black or white text, whichever contrasts more with the brand colour', () => {
    expect(textOn('#ffffff')).toBe('#000000');
    expect(textOn('#ffea00')).toBe('#000000');
    expect(textOn('#000000')).toBe('#ffffff');
    expect(textOn('#1f4fd1')).toBe('#ffffff');
    expect(textOn('#0f766e')).toBe('#ffffff');
  });
});

describe('page: configuration', () => {
  const campaign = (page: string) => `
campaigns:
  - id: c
    template: t
    variables: { first_name: { property: firstname } }
    page: ${page}
`;
  const issues = (page: string): string[] => {
    try {
      parseConfig(campaign(page), {}, 'reelay.yaml');
    } catch (err) {
      if (err instanceof InvalidConfigError) return err.issues.map((i) => `${i.where}: ${i.message}`);
      throw err;
    }
    return [];
  };

  it('accepts a brand colour, a logo and a call to action, and defaults to none', () => {
    const config = parseConfig(campaign('{ brandColor: "#abc", logoUrl: "https://cdn.example.com/l.png", cta: { label: Book, url: "http://example.com/b" } }'), {}, 'reelay.yaml');
    expect(config.campaigns[0]?.page).toEqual({ brandColor: '#abc', logoUrl: 'https://cdn.example.com/l.png', cta: { label: 'Book', url: 'http://example.com/b' } });
    expect(parseConfig(campaign('{}'), {}, 'reelay.yaml').campaigns[0]?.page).toEqual({});
    expect(config.hubspot.properties.thumbnailUrl).toBe('heygen_video_thumbnail_url');
  });

  it('refuses colours that are not #rgb/#rrggbb and URLs that are not http(s), naming the path', () => {
    expect(issues('{ brandColor: "red" }').join('\n')).toMatch(/campaigns\[0\]\.page\.brandColor: a colour as #rgb or #rrggbb/);
    expect(issues('{ brandColor: "#12345" }')).toHaveLength(1);
    expect(issues('{ logoUrl: "javascript:alert(1)" }').join('\n')).toMatch(/campaigns\[0\]\.page\.logoUrl: an http\(s\) URL/);
    expect(issues('{ cta: { label: Go, url: "ftp://example.com" } }').join('\n')).toMatch(/campaigns\[0\]\.page\.cta\.url: an http\(s\) URL/);
    expect(issues('{ cta: { label: "", url: "https://example.com" } }').join('\n')).toMatch(/campaigns\[0\]\.page\.cta\.label/);
    expect(issues('{ colour: "#fff" }').join('\n')).toMatch(/campaigns\[0\]\.page/);
  });
});

describe('the ready note', () => {
  it('carries the thumbnail, linking to the video, when there is one', () => {
    const body = noteBody('Intro <b>', 'https://r.example/v/T', 'https://r.example/v/T/thumbnail.gif');
    expect(body).toContain('<a href="https://r.example/v/T">Intro &lt;b&gt;</a>');
    expect(body).toContain('<a href="https://r.example/v/T"><img src="https://r.example/v/T/thumbnail.gif" alt="Play: Intro &lt;b&gt;" width="480"></a>');
    expect(noteBody('Intro', 'https://r.example/v/T')).not.toContain('<img');
  });
});
