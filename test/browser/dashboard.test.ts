/**
 * The dashboard in a real Chromium, as an operator uses it: sign in (a wrong
 * token refused), read the figures, retry a failed render from its page
 * through the confirmation step, sign out; a form on another site that posts
 * to the dashboard is refused; axe-core finds no serious violations.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveStates } from '../../src/core/states.js';
import { countRendersByState } from '../../src/store/list-renders.js';
import { launchBrowser, saveScreenshot, seriousAxeViolations } from '../helpers/browser.js';
import { seedRenders, type SeedRender } from '../helpers/dashboard.js';
import { startHarness, type Harness } from '../helpers/harness.js';

const HOUR = 3_600_000;

describe('dashboard in a browser', () => {
  let h: Harness;
  let browser: Browser;
  let page: Page;
  let base: string;
  let failedId: number;
  let liveId: number;
  let attacker: Server;

  beforeAll(async () => {
    h = await startHarness({ role: 'web', inbound: false, setup: false });
    base = h.service.url;
    const now = Date.now();
    const seeds: SeedRender[] = [];
    for (let i = 0; i < 60; i += 1) {
      const state = (['completed', 'completed', 'completed', 'failed', 'skipped', 'rendering'] as const)[i % 6] ?? 'completed';
      seeds.push({
        campaign: i % 4 === 0 ? 'onboarding' : 'bdr-intro',
        objectType: i % 4 === 0 ? 'deals' : 'contacts',
        state,
        createdAt: now - (60 - i) * 9 * HOUR,
        ...(state === 'completed' ? { submittedAt: now - (60 - i) * 9 * HOUR } : {}),
        ...(state === 'failed' ? { errorCode: 'insufficient_credit', errorMessage: 'HeyGen: not enough credit' } : {}),
        ...(state === 'skipped' ? { errorCode: 'invalid_data', errorMessage: 'first_name is required' } : {}),
        title: `Intro for Person ${i} <b>bold</b>`,
      });
    }
    const ids = await seedRenders(h.service.store, seeds);
    failedId = ids[3] as number;
    liveId = ids[5] as number;
    browser = await launchBrowser();
    page = await browser.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => (attacker ? attacker.close(resolve) : resolve(undefined)));
    await h?.stop();
  });

  it('refuses a wrong token, then signs in with the right one', async () => {
    await page.goto(`${base}/dashboard`);
    expect(new URL(page.url()).pathname).toBe('/dashboard/sign-in');
    await page.fill('input[name="token"]', 'not-the-token');
    const [refused] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.click('button[type="submit"]')]);
    expect(refused.status()).toBe(401);
    expect(await page.textContent('[role="alert"]')).toContain('not the admin token');
    expect(await page.context().cookies()).toEqual([]);
    await page.fill('input[name="token"]', h.secrets.adminToken);
    await Promise.all([page.waitForURL(`${base}/dashboard`), page.click('button[type="submit"]')]);
    const [cookie] = await page.context().cookies();
    expect(cookie).toMatchObject({ name: 'reelay_session', httpOnly: true, sameSite: 'Strict', path: '/dashboard' });
  });

  it('shows the store’s counts on the overview, and has no serious accessibility violations', async () => {
    await page.goto(`${base}/dashboard`);
    for (const campaign of ['bdr-intro', 'onboarding']) {
      const counts = await countRendersByState(h.service.store, { campaignId: campaign });
      const figure = async (metric: string) => Number(await page.textContent(`[data-campaign="${campaign}"] [data-metric="${metric}"]`));
      expect(await figure('rendered')).toBe(counts.completed ?? 0);
      expect(await figure('failed')).toBe(counts.failed ?? 0);
      expect(await figure('skipped')).toBe(counts.skipped ?? 0);
      expect(await figure('in_flight')).toBe(liveStates.reduce((sum, s) => sum + (counts[s] ?? 0), 0));
      expect(await figure('billed_today')).toBeGreaterThanOrEqual(0);
    }
    expect(await page.locator('svg[role="img"] title').textContent()).toBe('Renders completed per day');
    await saveScreenshot(page, 'dashboard');
    expect(await seriousAxeViolations(page)).toEqual([]);

    await page.goto(`${base}/dashboard/renders?campaign=bdr-intro`);
    expect(await page.locator('[data-render]').count()).toBeGreaterThan(0);
    expect(await seriousAxeViolations(page)).toEqual([]);

    await page.goto(`${base}/dashboard/renders/${failedId}`);
    expect(await seriousAxeViolations(page)).toEqual([]);
  });

  it('retries a failed render from its page, through the confirmation step', async () => {
    await page.goto(`${base}/dashboard/renders/${failedId}`);
    expect(await page.getAttribute('[data-state]', 'data-state')).toBe('failed');
    await Promise.all([page.waitForURL(`${base}/dashboard/renders/${failedId}/retry`), page.click('a.button:has-text("Retry")')]);
    await Promise.all([page.waitForURL(`${base}/dashboard/renders/${failedId}?done=retry`), page.click('button:has-text("Retry render")')]);
    expect(await page.textContent('[role="status"]')).toContain('Retry: done.');
    expect(await page.getAttribute('[data-state]', 'data-state')).toBe('received');
    expect(await page.textContent('body')).toContain('re-queued by an operator via the dashboard');
    const row = await h.service.store.db.selectFrom('renders').select('state').where('id', '=', failedId).executeTakeFirstOrThrow();
    expect(row.state).toBe('received');
  });

  it('refuses a form another site posts to the dashboard, even one carrying the session’s token', async () => {
    await page.goto(`${base}/dashboard`);
    const csrf = await page.getAttribute('input[name="_csrf"]', 'value');
    attacker = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(
        `<!doctype html><html lang="en"><head><title>win a prize</title></head><body>` +
          `<form method="post" action="${base}/dashboard/renders/${liveId}/cancel"><input type="hidden" name="_csrf" value="${csrf}"></form>` +
          `<script>document.forms[0].submit()</script></body></html>`,
      );
    });
    await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
    const evil = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}/`;
    const [answer] = await Promise.all([page.waitForResponse((r) => r.url().endsWith(`/renders/${liveId}/cancel`)), page.goto(evil)]);
    expect(answer.status()).toBe(403);
    const row = await h.service.store.db.selectFrom('renders').select('state').where('id', '=', liveId).executeTakeFirstOrThrow();
    expect(row.state).toBe('rendering');
  });

  it('signs out: the dashboard asks to sign in again', async () => {
    await page.goto(`${base}/dashboard`);
    await Promise.all([page.waitForURL(`${base}/dashboard/sign-in`), page.click('button:has-text("Sign out")')]);
    await page.goto(`${base}/dashboard/renders`);
    expect(new URL(page.url()).pathname).toBe('/dashboard/sign-in');
  });
});
