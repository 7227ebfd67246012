/**
 * Review before send from the dashboard, in a real Chromium: two videos of a
 * `review: required` campaign wait in `awaiting_review` (the CRM shows
 * PROCESSING and no link); the operator approves one and rejects the other
 * with a reason, each through its confirmation step; the CRM then shows the
 * approved video's link and the rejection, and HeyGen billed each once.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, saveScreenshot, seriousAxeViolations } from '../helpers/browser.js';
import { startHarness, type Harness } from '../helpers/harness.js';

describe('review before send in the dashboard', () => {
  let h: Harness;
  let browser: Browser;
  let page: Page;
  let base: string;
  const waiting: { contactId: string; renderId: number }[] = [];

  const crm = (contactId: string) => h.sandbox.hubspot.crm.get('contacts', contactId)?.properties ?? {};
  const stateOf = async (renderId: number) =>
    (await h.service.store.db.selectFrom('renders').select('state').where('id', '=', renderId).executeTakeFirstOrThrow()).state;

  beforeAll(async () => {
    h = await startHarness({
      tweak: (config) => {
        const campaign = config.campaigns.find((c) => c.id === 'bdr-intro');
        if (campaign) campaign.review = 'required';
      },
    });
    base = h.service.url;
    for (const firstname of ['Ada', 'Grace']) {
      const contactId = h.sandbox.hubspot.crm.create('contacts', { firstname, company: 'Review Co' }).id;
      await h.postHubSpot({ hs_object_id: Number(contactId) }, { query: '?campaign=bdr-intro' });
      const row = await h.service.store.db.selectFrom('renders').select('id').where('object_id', '=', contactId).executeTakeFirstOrThrow();
      waiting.push({ contactId, renderId: Number(row.id) });
    }
    for (const w of waiting) await h.waitFor(async () => (await stateOf(w.renderId)) === 'awaiting_review', 30_000, 'the video to await review');
    await h.settled();
    browser = await launchBrowser();
    page = await browser.newPage();
    await page.goto(`${base}/dashboard`);
    await page.fill('input[name="token"]', h.secrets.adminToken);
    await Promise.all([page.waitForURL(`${base}/dashboard`), page.click('button[type="submit"]')]);
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await h?.stop();
  });

  it('shows the waiting video, with the CRM still at PROCESSING and no link', async () => {
    const [first] = waiting;
    if (!first) throw new Error('no render');
    expect(crm(first.contactId).heygen_render_status).toBe('PROCESSING');
    expect(crm(first.contactId).heygen_video_url ?? '').toBe('');
    await page.goto(`${base}/dashboard/renders/${first.renderId}`);
    expect(await page.getAttribute('[data-state]', 'data-state')).toBe('awaiting_review');
    expect(await page.locator('a.button:has-text("Approve")').count()).toBe(1);
    expect(await page.locator('a.button:has-text("Reject")').count()).toBe(1);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await saveScreenshot(page, 'dashboard-review');
  });

  it('approves one video: the CRM gets COMPLETED and its link, the timeline says an operator approved it', async () => {
    const [first] = waiting;
    if (!first) throw new Error('no render');
    await page.goto(`${base}/dashboard/renders/${first.renderId}`);
    await Promise.all([page.waitForURL(`${base}/dashboard/renders/${first.renderId}/approve`), page.click('a.button:has-text("Approve")')]);
    await Promise.all([page.waitForURL(`${base}/dashboard/renders/${first.renderId}?done=approve`), page.click('form button[type="submit"]:has-text("Approve")')]);
    expect(await page.getAttribute('[data-state]', 'data-state')).toBe('completed');
    expect(await page.textContent('body')).toContain('approved by an operator via the dashboard');
    await h.waitFor(async () => (crm(first.contactId).heygen_render_status === 'COMPLETED' ? true : undefined), 20_000, 'COMPLETED in the CRM');
    expect(crm(first.contactId).heygen_video_url).toMatch(/\/v\/[A-Za-z0-9_-]+$/);
  });

  it('rejects the other with a reason: FAILED in the CRM with "rejected: <reason>"', async () => {
    const [, second] = waiting;
    if (!second) throw new Error('no render');
    await page.goto(`${base}/dashboard/renders/${second.renderId}`);
    await Promise.all([page.waitForURL(`${base}/dashboard/renders/${second.renderId}/reject`), page.click('a.button:has-text("Reject")')]);
    await page.fill('input[name="reason"]', 'wrong company name');
    await Promise.all([page.waitForURL(`${base}/dashboard/renders/${second.renderId}?done=reject`), page.click('form button[type="submit"]:has-text("Reject")')]);
    expect(await page.getAttribute('[data-state]', 'data-state')).toBe('failed');
    expect(await page.textContent('body')).toContain('rejected by an operator via the dashboard: wrong company name');
    await h.waitFor(async () => (crm(second.contactId).heygen_render_status === 'FAILED' ? true : undefined), 20_000, 'FAILED in the CRM');
    expect(crm(second.contactId).heygen_render_error).toContain('rejected: wrong company name');
    expect(crm(second.contactId).heygen_video_url ?? '').toBe('');
    // Each video was billed once, approved or not.
    expect(h.sandbox.heygen.ledger().filter((e) => e.billed)).toHaveLength(2);
  });
});
