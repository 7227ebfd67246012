/**
 * The video page in a real browser (the system Chromium), served by the
 * in-process service against the sandbox: the video plays (muted, its time
 * advances), nothing is loaded from anywhere but Reelay (and, for the media
 * only, the HeyGen file host its `?raw=1` redirects to), axe-core finds no
 * serious violations, and with JavaScript off the video and the call to
 * action are still there and the video still loads. Loading the page and
 * the thumbnail changes nothing in the store. Screenshots:
 * `test/output/video-page.png` and `test/output/video-page-mobile.png`.
 */
import sharp from 'sharp';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, saveScreenshot, seriousAxeViolations } from '../helpers/browser.js';
import { startHarness, type Harness } from '../helpers/harness.js';

/** What the tests use of an `VideoElement` (the project's TS has no DOM library). */
interface VideoElement {
  muted: boolean;
  currentTime: number;
  play(): Promise<void>;
  pause(): void;
}

describe('video page in a browser', () => {
  let h: Harness;
  let browser: Browser;
  let link: string;
  let reelayOrigin: string;
  let heygenOrigin: string;

  beforeAll(async () => {
    browser = await launchBrowser();
    h = await startHarness({
      tweak: (config) => {
        const campaign = config.campaigns.find((c) => c.id === 'bdr-intro');
        if (campaign) campaign.page = { brandColor: '#0f766e', cta: { label: 'Book a 15-minute call', url: 'https://example.com/book' } };
      },
    });
    const crm = h.sandbox.hubspot.crm;
    const contact = crm.create('contacts', { firstname: 'Grace', company: 'Compilers & Co <b>' }).id;
    await h.postHubSpot({ hs_object_id: Number(contact) }, { query: '?campaign=bdr-intro' });
    link = await h.waitFor(async () => crm.get('contacts', contact)?.properties.heygen_video_url);
    await h.settled();
    reelayOrigin = new URL(link).origin;
    heygenOrigin = new URL(h.sandbox.heygen.url).origin;
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await h?.stop();
  });

  /** Every request the page makes, with its kind (document, stylesheet, media, image, script...). */
  function recordRequests(page: Page): Array<{ url: string; type: string }> {
    const seen: Array<{ url: string; type: string }> = [];
    page.on('request', (request) => seen.push({ url: request.url(), type: request.resourceType() }));
    return seen;
  }

  async function open(context: BrowserContext): Promise<{ page: Page; requests: Array<{ url: string; type: string }> }> {
    const page = await context.newPage();
    const requests = recordRequests(page);
    const answer = await page.goto(link);
    expect(answer?.status()).toBe(200);
    return { page, requests };
  }

  it('plays the video, loads nothing from a third party, and has no serious accessibility violations', { timeout: 60_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const { page, requests } = await open(context);
    expect(await page.textContent('h1')).toBe('Intro for Grace at Compilers & Co <b>');
    await expect.poll(() => page.locator('#reelay-cta').getAttribute('href')).toBe('https://example.com/book');

    await page.locator('#reelay-video').evaluate(async (video: VideoElement) => {
      video.muted = true;
      await video.play();
    });
    await expect.poll(() => page.locator('#reelay-video').evaluate((video: VideoElement) => video.currentTime), { timeout: 15_000 }).toBeGreaterThan(0);
    await page.locator('#reelay-video').evaluate((video: VideoElement) => video.pause());

    // Reelay's own origin for everything; HeyGen's file host for the media it redirects to, nothing else.
    const foreign = requests.filter((r) => new URL(r.url).origin !== reelayOrigin);
    expect(foreign.length).toBeGreaterThan(0);
    for (const request of foreign) {
      expect(new URL(request.url).origin, request.url).toBe(heygenOrigin);
      expect(request.type, request.url).toBe('media');
    }
    expect(requests.some((r) => r.type === 'stylesheet' && r.url.startsWith(`${reelayOrigin}/assets/reelay-page.css`))).toBe(true);
    expect(requests.some((r) => r.type === 'image' && r.url === `${link}/poster.jpg`)).toBe(true);

    expect(await seriousAxeViolations(page)).toEqual([]);
    await saveScreenshot(page, 'video-page');
    await context.close();
  });

  it('fits a narrow mobile screen', { timeout: 30_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 375, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    const { page } = await open(context);
    const video = await page.locator('#reelay-video').boundingBox();
    expect(video?.width).toBeGreaterThan(300);
    expect(video?.width).toBeLessThanOrEqual(375);
    // No horizontal scrolling.
    expect(Number(await page.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(375);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await saveScreenshot(page, 'video-page-mobile');
    await context.close();
  });

  it('works with JavaScript disabled: the video loads from its source and the call to action is a plain link', { timeout: 30_000 }, async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    const media: number[] = [];
    page.on('response', (response) => {
      if (response.request().resourceType() === 'media' && response.url().startsWith(heygenOrigin)) media.push(response.status());
    });
    await page.goto(link);
    const video = page.locator('video#reelay-video');
    expect(await video.getAttribute('src')).toBe(`${new URL(link).pathname}?raw=1`);
    expect(await video.getAttribute('controls')).not.toBeNull();
    expect(await page.locator('a#reelay-cta').getAttribute('href')).toBe('https://example.com/book');
    // The browser follows the source to HeyGen's file on its own (preload="metadata"), no script involved.
    await expect.poll(() => media.some((status) => status === 200 || status === 206), { timeout: 15_000 }).toBe(true);
    await context.close();
  });

  it('serves an animated GIF thumbnail with cache headers, and looking changes nothing', { timeout: 30_000 }, async () => {
    const snapshot = async () => ({
      renders: await h.service.store.db.selectFrom('renders').selectAll().execute(),
      outbox: await h.service.store.db.selectFrom('outbox').selectAll().execute(),
      timeline: await h.service.store.db.selectFrom('render_timeline').select('id').execute(),
    });
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(link);
    const before = await snapshot();
    const answer = await page.request.get(`${link}/thumbnail.gif`);
    expect(answer.status()).toBe(200);
    expect(answer.headers()['cache-control']).toMatch(/max-age=\d+/);
    expect(answer.headers().etag).toBeTruthy();
    const meta = await sharp(await answer.body(), { animated: true }).metadata();
    expect(meta.format).toBe('gif');
    expect(meta.pages).toBeGreaterThan(1);
    await page.goto(link);
    await page.goto(`${link}/thumbnail.gif`);
    const after = await snapshot();
    // The video URL cache may have been refreshed; nothing else moves.
    expect(after.outbox).toEqual(before.outbox);
    expect(after.timeline).toEqual(before.timeline);
    expect(after.renders.map((r) => ({ ...r, video_url: null, video_url_expires_at: null, updated_at: 0 }))).toEqual(
      before.renders.map((r) => ({ ...r, video_url: null, video_url_expires_at: null, updated_at: 0 })),
    );
    await context.close();
  });
});
