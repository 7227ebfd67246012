/**
 * The video page and the e-mail thumbnail, through real HTTP against the
 * sandbox on both databases: content negotiation (a browser gets the page;
 * HEAD, `?raw=1` and every other client the 302), a strict CSP, escaping of
 * a hostile CRM title, 404s for unknown tokens, and the images made once:
 * a second request (on another instance too) asks HeyGen for nothing.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/observability/logger.js';
import { startService, type Service } from '../../src/service.js';
import { testDialects } from '../helpers/databases.js';
import { startHarness, type Harness } from '../helpers/harness.js';

const HTML = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };
const HOSTILE = `<script>alert("x")</script>'&`;

async function logoServer(): Promise<{ server: Server; url: string; hits: () => number }> {
  const png = await sharp({ create: { width: 200, height: 60, channels: 3, background: '#0a7' } }).png().toBuffer();
  let hits = 0;
  const server = createServer((_req, res) => {
    hits++;
    res.writeHead(200, { 'content-type': 'image/png' }).end(png);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/logo.png`, hits: () => hits };
}

describe.each(await testDialects())('video page on %s', (dialect) => {
  let h: Harness | undefined;
  let second: Service | undefined;
  let logo: Awaited<ReturnType<typeof logoServer>> | undefined;
  afterEach(async () => {
    await second?.stop();
    await h?.stop();
    await new Promise((resolve) => (logo ? logo.server.close(resolve) : resolve(undefined)));
    h = second = logo = undefined;
  });

  async function start(): Promise<{ harness: Harness; link: string; token: string; contact: string }> {
    logo = await logoServer();
    const logoUrl = logo.url;
    const harness = await startHarness({
      dialect,
      tweak: (config) => {
        const campaign = config.campaigns.find((c) => c.id === 'bdr-intro');
        if (campaign) campaign.page = { brandColor: '#e11d48', logoUrl, cta: { label: `Book a call ${HOSTILE}`, url: 'https://example.com/book?a=1&b="2"' } };
      },
    });
    h = harness;
    const crm = harness.sandbox.hubspot.crm;
    const contact = crm.create('contacts', { firstname: HOSTILE, company: 'Pages Ltd' }).id;
    await harness.postHubSpot({ hs_object_id: Number(contact) }, { query: '?campaign=bdr-intro' });
    const link = await harness.waitFor(async () => crm.get('contacts', contact)?.properties.heygen_video_url);
    await harness.settled();
    return { harness, link, token: link.split('/v/')[1] as string, contact };
  }

  it('serves the page to browsers and the redirect to everything else, escaped and under a strict CSP', { timeout: 60_000 }, async () => {
    const { harness, link, token, contact } = await start();
    const heygenOrigin = new URL(harness.sandbox.heygen.url).origin;

    const page = await fetch(link, { headers: HTML });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.headers.get('set-cookie')).toBeNull();
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("img-src 'self'");
    expect(csp).toContain(`media-src 'self' ${heygenOrigin}`);
    expect(csp).toMatch(/style-src 'self' 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).not.toContain('unsafe-inline');
    const html = await page.text();
    // The CRM's text is escaped everywhere it appears: no live markup from the record.
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39;&amp;');
    expect(html).toContain(`<video id="reelay-video" data-events-url="/v/${token}/events" src="/v/${token}?raw=1" poster="/v/${token}/poster.jpg"`);
    expect(html).toContain('<a id="reelay-cta" class="cta" href="https://example.com/book?a=1&amp;b=&quot;2&quot;"');
    expect(html).toContain('<script src="/assets/reelay-player.js" defer></script>');
    expect(html).toContain(`<img class="logo" src="/v/${token}/logo.png"`);
    // The only script on the page is Reelay's own file: no inline script.
    expect(html.match(/<script\b[^>]*>/g)).toEqual(['<script src="/assets/reelay-player.js" defer>']);
    expect(html).toContain('--brand:#e11d48');

    // Every other client gets the 302 to HeyGen's file, as before.
    for (const [what, request] of [
      ['no Accept', fetch(link, { redirect: 'manual' })],
      ['Accept: */*', fetch(link, { redirect: 'manual', headers: { accept: '*/*' } })],
      ['HEAD from a browser', fetch(link, { redirect: 'manual', method: 'HEAD', headers: HTML })],
      ['?raw=1 from a browser', fetch(`${link}?raw=1`, { redirect: 'manual', headers: HTML })],
    ] as const) {
      const answer = await request;
      expect(answer.status, what).toBe(302);
      expect(answer.headers.get('location'), what).toMatch(new RegExp(`^${heygenOrigin}/_sandbox/files/`));
    }
    const video = await fetch(`${link}?raw=1`);
    expect(video.headers.get('content-type')).toBe('video/mp4');
    expect((await video.arrayBuffer()).byteLength).toBeGreaterThan(1_000);

    // The stylesheet the page names is served, cacheable for good.
    const cssPath = /<link rel="stylesheet" href="([^"]+)"/.exec(html)?.[1] ?? '';
    const css = await fetch(new URL(cssPath, link));
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
    expect(css.headers.get('cache-control')).toContain('immutable');

    // Unknown and malformed tokens: 404, as a page for browsers.
    const forged = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    const missing = await fetch(`${harness.env.publicUrl}/v/${forged}`, { headers: HTML });
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('Video not found');
    for (const path of [`/v/${forged}`, `/v/${forged}/thumbnail.gif`, `/v/${forged}/poster.jpg`, '/v/short/thumbnail.gif']) {
      expect((await fetch(`${harness.env.publicUrl}${path}`, { redirect: 'manual' })).status, path).toBe(404);
    }

    // The completed write carried the e-mail thumbnail's address.
    expect(harness.sandbox.hubspot.crm.get('contacts', contact)?.properties.heygen_video_thumbnail_url).toBe(`${link}/thumbnail.gif`);
  });

  it('1,000 page views cost at most one HeyGen call; images are made once and shared by instances', { timeout: 90_000 }, async () => {
    const { harness, link } = await start();
    const stats = () => harness.sandbox.heygen.stats();

    let before = stats().statusCalls;
    for (let done = 0; done < 1_000; done += 50) {
      const views = await Promise.all(Array.from({ length: 50 }, () => fetch(link, { headers: HTML })));
      for (const view of views) {
        expect(view.status).toBe(200);
        await view.arrayBuffer();
      }
    }
    expect(stats().statusCalls - before).toBeLessThanOrEqual(1);

    // The thumbnail: made on first request from HeyGen's GIF, an animated GIF with cache headers.
    before = stats().statusCalls;
    const imagesBefore = stats().imageDownloads;
    const first = await fetch(`${link}/thumbnail.gif`);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('image/gif');
    expect(first.headers.get('cache-control')).toMatch(/max-age=\d+/);
    const etag = first.headers.get('etag') ?? '';
    expect(etag).toMatch(/^".+"$/);
    const gif = Buffer.from(await first.arrayBuffer());
    const meta = await sharp(gif, { animated: true }).metadata();
    expect(meta.format).toBe('gif');
    expect(meta.pages).toBeGreaterThan(1);
    expect(meta.width).toBe(480);
    expect(stats().statusCalls - before).toBeLessThanOrEqual(1);
    expect(stats().imageDownloads - imagesBefore).toBeLessThanOrEqual(2);

    // The poster was made with it; neither is fetched from HeyGen again, on this instance or another.
    const made = { status: stats().statusCalls, images: stats().imageDownloads };
    const poster = await fetch(`${link}/poster.jpg`);
    expect(poster.status).toBe(200);
    expect(poster.headers.get('content-type')).toBe('image/jpeg');
    expect((await sharp(Buffer.from(await poster.arrayBuffer())).metadata()).format).toBe('jpeg');
    const again = await fetch(`${link}/thumbnail.gif`);
    expect(Buffer.from(await again.arrayBuffer()).equals(gif)).toBe(true);
    const notModified = await fetch(`${link}/thumbnail.gif`, { headers: { 'if-none-match': etag } });
    expect(notModified.status).toBe(304);
    second = await startService({ env: { ...harness.env, port: 0 }, config: harness.config, logger: silentLogger(), role: 'web' });
    const elsewhere = await fetch(`${second.url}/v/${link.split('/v/')[1]}/thumbnail.gif`);
    expect(elsewhere.headers.get('etag')).toBe(etag);
    expect(Buffer.from(await elsewhere.arrayBuffer()).equals(gif)).toBe(true);
    expect({ status: stats().statusCalls, images: stats().imageDownloads }).toEqual(made);

    // The logo is Reelay's own copy: fetched from page.logoUrl once, served as PNG.
    for (let i = 0; i < 3; i++) {
      const logoAnswer = await fetch(`${link}/logo.png`);
      expect(logoAnswer.status).toBe(200);
      expect(logoAnswer.headers.get('content-type')).toBe('image/png');
      await logoAnswer.arrayBuffer();
    }
    expect(logo?.hits()).toBe(1);
  });
});
