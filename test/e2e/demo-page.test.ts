/**
 * `reelay demo --keep-open`, run from the built CLI as a user runs it: after
 * the summary it prints one video page and its thumbnail and keeps serving,
 * so the page works in a browser on this machine; Ctrl-C (SIGINT) ends it
 * cleanly. The sandbox it starts serves real media read from the package's
 * `assets/` (from `dist/`, where tsc copies no such files).
 */
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { spawnCli } from '../helpers/cli.js';

describe('reelay demo --keep-open', () => {
  it('prints a video page and its thumbnail, serves them until Ctrl-C, then exits 0', { timeout: 150_000 }, async () => {
    const demo = spawnCli(['demo', '--seed', '7', '--keep-open']);
    try {
      const pageLine = await demo.waitForOutput(/^video page: /, 130_000);
      const thumbnailLine = await demo.waitForOutput(/^thumbnail: /, 5_000);
      await demo.waitForOutput(/until Ctrl-C/, 5_000);
      const pageUrl = pageLine.replace(/^video page:\s+/, '').trim();
      const thumbnailUrl = thumbnailLine.replace(/^thumbnail:\s+/, '').trim();
      expect(pageUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v\/[A-Za-z0-9_-]{32}$/);
      expect(thumbnailUrl).toBe(`${pageUrl}/thumbnail.gif`);

      const page = await fetch(pageUrl, { headers: { accept: 'text/html' } });
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<video id="reelay-video"');
      // The video the page plays is the sandbox's real MP4 (an ftyp box, then media), read from assets/ by the built code.
      const video = Buffer.from(await (await fetch(`${pageUrl}?raw=1`)).arrayBuffer());
      expect(video.subarray(4, 8).toString('latin1')).toBe('ftyp');
      expect(video.length).toBeGreaterThan(4_000);
      const thumbnail = await fetch(thumbnailUrl);
      expect(thumbnail.status).toBe(200);
      expect((await sharp(Buffer.from(await thumbnail.arrayBuffer()), { animated: true }).metadata()).pages).toBeGreaterThan(1);

      demo.kill('SIGINT');
      const exit = await demo.exited;
      expect(exit.code, demo.stderr()).toBe(0);
    } finally {
      demo.kill('SIGKILL');
    }
  });
});
