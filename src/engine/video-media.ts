/**
 * The images behind a video link, made once and kept in the database so
 * every instance serves the same bytes and HeyGen's files are fetched once:
 * the e-mail thumbnail (`/v/TOKEN/thumbnail.gif`) and the page's poster
 * (`/v/TOKEN/poster.jpg`) of a render, made together from one HeyGen status
 * read (whose fresh video URL is cached for the stable link as well), and a
 * campaign's logo (`/v/TOKEN/logo.png`), fetched from `page.logoUrl`. Requests
 * arriving together on one instance share one making.
 */
import { createHash } from 'node:crypto';
import { videoUrlValidUntil } from '../heygen/types.js';
import { cacheVideoUrl } from '../store/cache-video-url.js';
import { findThumbnail } from '../store/find-thumbnail.js';
import { saveThumbnail, type NewThumbnail } from '../store/save-thumbnail.js';
import type { ThumbnailRow } from '../store/schema.js';
import { campaignById, type EngineContext } from './context.js';
import type { LinkedRender } from './stable-links.js';
import { logoFrom, posterFrom, thumbnailFromGif, thumbnailFromImage } from './video-images.js';

export type MediaContext = Pick<EngineContext, 'store' | 'clock' | 'heygen' | 'log' | 'config'>;

export type VideoImageKind = 'thumbnail' | 'poster' | 'logo';

export interface StoredImage {
  contentType: string;
  body: Buffer;
  /** A quoted strong validator. */
  etag: string;
}

export type ImageResult = { kind: 'image'; image: StoredImage } | { kind: 'not_found' } | { kind: 'unavailable'; reason: string };

/** The largest file Reelay downloads to make an image from. */
const MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024;
const DOWNLOAD_TIMEOUT_MS = 20_000;

/** The outcome of making images: they are in the database now, or why not. */
type Making = { kind: 'made' } | { kind: 'unavailable'; reason: string };

const making = new WeakMap<MediaContext['store'], Map<string, Promise<Making>>>();

export function imageKey(kind: VideoImageKind, render: Pick<LinkedRender, 'id'>, logoUrl?: string): string {
  if (kind === 'logo') return `logo:${createHash('sha256').update(logoUrl ?? '').digest('hex').slice(0, 32)}`;
  return `${kind === 'thumbnail' ? 'gif' : 'poster'}:${render.id}`;
}

/** One of a linked render's images: from the database, else made now (once per instance at a time). */
export async function videoImage(ctx: MediaContext, render: LinkedRender, kind: VideoImageKind): Promise<ImageResult> {
  const logoUrl = kind === 'logo' ? campaignById(ctx.config, render.campaign_id)?.page.logoUrl : undefined;
  if (kind === 'logo' && !logoUrl) return { kind: 'not_found' };
  const key = imageKey(kind, render, logoUrl);
  const stored = await findThumbnail(ctx.store, key);
  if (stored) return served(stored);
  // The thumbnail and the poster are made together: they share the key of the making.
  const job = kind === 'logo' ? key : `render:${render.id}`;
  let memo = making.get(ctx.store);
  if (!memo) making.set(ctx.store, (memo = new Map()));
  let pending = memo.get(job);
  if (!pending) {
    const started = kind === 'logo' ? makeLogo(ctx, key, logoUrl ?? '') : makeRenderImages(ctx, render);
    pending = started.finally(() => memo.delete(job));
    memo.set(job, pending);
  }
  const made = await pending;
  if (made.kind !== 'made') return made;
  const saved = await findThumbnail(ctx.store, key);
  return saved ? served(saved) : { kind: 'unavailable', reason: 'the image could not be stored' };
}

function served(row: ThumbnailRow): ImageResult {
  return { kind: 'image', image: { contentType: row.content_type, body: row.body, etag: row.etag } };
}

function etagOf(body: Buffer): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
}

function image(key: string, renderId: number | null, contentType: string, body: Buffer): NewThumbnail {
  return { key, renderId, contentType, body, etag: etagOf(body) };
}

/** Reads HeyGen's status once, fetches its GIF and still image, and stores the e-mail thumbnail and the poster. */
async function makeRenderImages(ctx: MediaContext, render: LinkedRender): Promise<Making> {
  let video;
  try {
    video = await ctx.heygen.getVideo(render.video_id);
  } catch {
    return { kind: 'unavailable', reason: 'HeyGen could not be reached; try again shortly' };
  }
  const now = ctx.clock.now();
  // The read handed out a fresh video URL too: keep it for the stable link, saving it a renewal.
  if (video.videoUrl) await cacheVideoUrl(ctx.store, render.id, { url: video.videoUrl, expiresAt: videoUrlValidUntil(video.videoUrl, now) }, now);
  const [gif, still] = await Promise.all([downloadOrNone(ctx, video.gifUrl, 'GIF', render), downloadOrNone(ctx, video.thumbnailUrl, 'thumbnail', render)]);
  if (!gif && !still) return { kind: 'unavailable', reason: 'HeyGen gave no preview image for this video' };
  try {
    const thumbnail = gif ? await thumbnailFromGif(gif) : await thumbnailFromImage(still as Buffer);
    const poster = await posterFrom((still ?? gif) as Buffer);
    await saveThumbnail(ctx.store, image(imageKey('thumbnail', render), render.id, 'image/gif', thumbnail), now);
    await saveThumbnail(ctx.store, image(imageKey('poster', render), render.id, 'image/jpeg', poster), now);
  } catch (err) {
    ctx.log.warn({ renderId: render.id, err: err instanceof Error ? err.message : String(err) }, 'could not make the video thumbnail');
    return { kind: 'unavailable', reason: 'the preview image could not be made' };
  }
  return { kind: 'made' };
}

async function makeLogo(ctx: MediaContext, key: string, url: string): Promise<Making> {
  try {
    const logo = await logoFrom(await download(url));
    await saveThumbnail(ctx.store, image(key, null, 'image/png', logo), ctx.clock.now());
    return { kind: 'made' };
  } catch (err) {
    ctx.log.warn({ host: hostOf(url), err: err instanceof Error ? err.message : String(err) }, 'could not fetch the campaign logo (page.logoUrl)');
    return { kind: 'unavailable', reason: 'the logo could not be fetched' };
  }
}

/** A HeyGen file, or undefined when there is none or it cannot be fetched (logged without its signed URL). */
async function downloadOrNone(ctx: MediaContext, url: string | undefined, what: string, render: LinkedRender): Promise<Buffer | undefined> {
  if (!url) return undefined;
  try {
    return await download(url);
  } catch (err) {
    ctx.log.warn({ renderId: render.id, host: hostOf(url), err: err instanceof Error ? err.message : String(err) }, `could not fetch HeyGen's ${what}`);
    return undefined;
  }
}

async function download(url: string): Promise<Buffer> {
  const response = await fetch(url, { signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) });
  if (!response.ok) {
    await response.body?.cancel();
    throw new Error(`HTTP ${response.status} from ${hostOf(url)}`);
  }
  if (Number(response.headers.get('content-length') ?? 0) > MAX_DOWNLOAD_BYTES) {
    await response.body?.cancel();
    throw new Error(`a file over ${MAX_DOWNLOAD_BYTES} bytes from ${hostOf(url)}`);
  }
  const body = Buffer.from(await response.arrayBuffer());
  if (body.length > MAX_DOWNLOAD_BYTES) throw new Error(`a file over ${MAX_DOWNLOAD_BYTES} bytes from ${hostOf(url)}`);
  return body;
}

/** Where a URL points, without its path or query (a signed URL's signature is a credential). */
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'an invalid URL';
  }
}
