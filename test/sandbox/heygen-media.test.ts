/**
 * The sandbox's HeyGen hands out real media at its signed links: a playable
 * MP4 (served in byte ranges, as browsers ask for it), an animated GIF and a
 * JPEG; and Reelay's image making turns them into an animated e-mail
 * thumbnail (from the GIF, or from the still when HeyGen made no GIF) and a
 * poster.
 */
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { posterFrom, thumbnailFromGif, thumbnailFromImage, THUMBNAIL_WIDTH } from '../../src/engine/video-images.js';
import { mediaFixtures } from '../../src/sandbox/heygen/media-fixtures.js';
import { startHeyGenSandbox, type HeyGenSandbox } from '../../src/sandbox/heygen/server.js';

const API_KEY = 'test-key';
let sandbox: HeyGenSandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

async function completedVideo(sb: HeyGenSandbox): Promise<Record<string, string>> {
  const text = (name: string, content: string) => ({ name, type: 'text', properties: { content } });
  const created = await fetch(`${sb.url}/v3/templates/tpl_bdr_intro`, {
    method: 'POST',
    headers: { 'x-api-key': API_KEY, 'content-type': 'application/json' },
    body: JSON.stringify({
      title: 'Media',
      callback_id: 'cb-media',
      variables: { first_name: text('first_name', 'Ada'), company_name: text('company_name', 'AE'), conversion_event: text('conversion_event', 'x') },
    }),
  });
  const id = ((await created.json()) as { data: { id: string } }).data.id;
  await sb.drain();
  const status = await fetch(`${sb.url}/v3/videos/${id}`, { headers: { 'x-api-key': API_KEY } });
  return ((await status.json()) as { data: Record<string, string> }).data;
}

describe('sandbox media', () => {
  it('serves a real MP4 in byte ranges, an animated GIF and a JPEG at the signed links', async () => {
    sandbox = await startHeyGenSandbox({ apiKey: API_KEY, renderMs: { min: 10, max: 20 }, seed: 3 });
    const video = await completedVideo(sandbox);
    const mp4 = await fetch(video.video_url as string);
    expect(mp4.headers.get('content-type')).toBe('video/mp4');
    expect(mp4.headers.get('accept-ranges')).toBe('bytes');
    const whole = Buffer.from(await mp4.arrayBuffer());
    expect(whole.equals(mediaFixtures().mp4)).toBe(true);
    expect(whole.subarray(4, 8).toString('latin1')).toBe('ftyp');

    const part = await fetch(video.video_url as string, { headers: { range: 'bytes=100-199' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 100-199/${whole.length}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(whole.subarray(100, 200))).toBe(true);
    const tail = await fetch(video.video_url as string, { headers: { range: 'bytes=-10' } });
    expect(Buffer.from(await tail.arrayBuffer()).equals(whole.subarray(whole.length - 10))).toBe(true);
    expect((await fetch(video.video_url as string, { headers: { range: `bytes=${whole.length}-` } })).status).toBe(416);

    const gif = await sharp(Buffer.from(await (await fetch(video.gif_url as string)).arrayBuffer()), { animated: true }).metadata();
    expect(gif.format).toBe('gif');
    expect(gif.pages).toBeGreaterThan(1);
    const jpg = await sharp(Buffer.from(await (await fetch(video.thumbnail_url as string)).arrayBuffer())).metadata();
    expect(jpg.format).toBe('jpeg');
  });
});

describe('thumbnail making', () => {
  it('draws the play button on every frame of HeyGen\'s GIF, looping, at the e-mail width', async () => {
    const made = await sharp(await thumbnailFromGif(mediaFixtures().gif), { animated: true }).metadata();
    expect(made).toMatchObject({ format: 'gif', width: THUMBNAIL_WIDTH, loop: 0 });
    expect(made.pages).toBe((await sharp(mediaFixtures().gif, { animated: true }).metadata()).pages);
  });

  it('animates a still thumbnail (a pulsing play button) when HeyGen made no GIF, and makes a JPEG poster', async () => {
    const made = await sharp(await thumbnailFromImage(mediaFixtures().jpg), { animated: true }).metadata();
    expect(made).toMatchObject({ format: 'gif', width: THUMBNAIL_WIDTH, pages: 2 });
    const poster = await sharp(await posterFrom(mediaFixtures().jpg)).metadata();
    expect(poster.format).toBe('jpeg');
  });
});
