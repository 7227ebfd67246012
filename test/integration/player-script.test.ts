/**
 * The player script in a real browser (system Chromium), on a minimal page
 * served from Reelay's origin under the video page's Content-Security-Policy
 * (`script-src 'self'; connect-src 'self'`, no inline script): the events it
 * sends are the ones Reelay counts. Playback is driven by dispatching the
 * media element's events (the sandbox's videos are not real media), with its
 * duration and position set on the element. The lead's combined test of the
 * real video page and this script replaces the minimal page.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../helpers/browser.js';
import { startHarness, type Harness } from '../helpers/harness.js';

const CSP = "default-src 'none'; script-src 'self'; connect-src 'self'; media-src *; img-src 'self'";

describe('player script', () => {
  let h: Harness | undefined;
  let browser: Browser | undefined;
  afterEach(async () => {
    await browser?.close();
    await h?.stop();
    browser = undefined;
    h = undefined;
  });

  it('posts play, progress at 25/50/75, complete and cta (by beacon, surviving the navigation) once each per page view', { timeout: 120_000 }, async () => {
    const harness = await startHarness();
    h = harness;
    const crm = harness.sandbox.hubspot.crm;
    const id = crm.create('contacts', { firstname: 'Pia', company: 'Player Co' }).id;
    await harness.postHubSpot({ hs_object_id: Number(id) }, { query: '?campaign=bdr-intro' });
    const link = await harness.waitFor(async () => crm.get('contacts', id)?.properties.heygen_video_url);
    await harness.settled();
    const token = link.split('/v/')[1] as string;
    const base = harness.env.publicUrl as string;

    browser = await launchBrowser();
    const page = await browser.newPage();
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy|Refused/i.test(m.text())) violations.push(m.text());
    });
    await page.route(`${base}/test-page`, (route) =>
      route.fulfill({
        status: 200,
        headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': CSP },
        body: `<!doctype html><html lang="en"><head><title>Video</title><script src="/assets/reelay-player.js" defer></script></head>
<body><main><video id="reelay-video" data-events-url="/v/${token}/events" controls></video>
<a id="reelay-cta" href="/healthz">Book a call</a></main></body></html>`,
      }),
    );
    await page.goto(`${base}/test-page`);
    await page.waitForLoadState('load');

    // A string, evaluated in the page (the test is compiled without the DOM's types).
    await page.evaluate(`(() => {
      const video = document.getElementById('reelay-video');
      let position = 0;
      Object.defineProperty(video, 'duration', { get: () => 100 });
      Object.defineProperty(video, 'currentTime', { get: () => position, set: (v) => (position = v) });
      const fire = (type) => video.dispatchEvent(new Event(type));
      fire('play');
      fire('play'); // resuming after buffering is not a new play
      position = 30;
      fire('timeupdate');
      position = 80;
      fire('timeupdate');
      fire('timeupdate');
      fire('pause');
      fire('play'); // played again
      position = 100;
      fire('ended');
    })()`);
    const rows = async () => harness.service.store.db.selectFrom('engagement').selectAll().execute();
    await harness.waitFor(async () => (await rows())[0]?.max_percent === 100, 20_000, 'the events');
    await Promise.all([page.waitForURL(`${base}/healthz`), page.click('#reelay-cta')]);
    await harness.waitFor(async () => (await rows())[0]?.cta_clicks === 1, 20_000, 'the CTA beacon');

    const [row] = await rows();
    expect(row).toMatchObject({ plays: 2, max_percent: 100, cta_clicks: 1 });
    const metrics = await (await fetch(`${base}/metrics`)).text();
    for (const [type, n] of [['play', 2], ['progress', 3], ['complete', 1], ['cta', 1]] as const) {
      expect(metrics).toContain(`reelay_engagement_events_total{type="${type}"} ${n}`);
    }
    expect(metrics).not.toContain('reelay_engagement_events_refused_total{');
    expect(violations).toEqual([]);
  });
});
