/**
 * The browser the page tests use: the system Chromium starts, loads a page
 * served with a strict Content-Security-Policy, and axe-core can check it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, saveScreenshot, seriousAxeViolations } from '../helpers/browser.js';

describe('test browser', () => {
  let browser: Browser;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    browser = await launchBrowser();
    server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': "default-src 'none'; style-src 'self'" });
      res.end('<!doctype html><html lang="en"><head><title>t</title></head><body><main><h1>Hello</h1><img src="x.png"></main></body></html>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('loads a CSP-locked page, screenshots it, and finds its accessibility violations', async () => {
    const page = await browser.newPage();
    await page.goto(url);
    expect(await page.textContent('h1')).toBe('Hello');
    await saveScreenshot(page, 'browser-smoke');
    const violations = await seriousAxeViolations(page);
    // The image has no alt text: axe reports it as critical.
    expect(violations.map((v) => v.id)).toContain('image-alt');
  });
});
