/**
 * The images of the video page and e-mails, made with sharp from HeyGen's
 * files: an animated, e-mail-safe GIF thumbnail with a play button on every
 * frame (from HeyGen's GIF, or from its still thumbnail with a pulsing
 * button), a JPEG poster, and a campaign's logo re-encoded as PNG (so an SVG
 * logo's scripts never reach a browser). Pure transformations: bytes in,
 * bytes out.
 *
 * sharp (libvips) is loaded on first use: it adds about 33 MB to a
 * process's memory, and most processes never make an image (workers, or a
 * web instance before the first page view).
 */
type Sharp = typeof import('sharp').default;
let loaded: Promise<Sharp> | undefined;

function loadSharp(): Promise<Sharp> {
  loaded ??= import('sharp').then((m) => m.default);
  return loaded;
}

/** E-mail clients show 600 px wide at most; 480 leaves room for margins. */
export const THUMBNAIL_WIDTH = 480;
/** Frames kept from a long GIF (sampled evenly; delays added up), so the e-mail image stays small. */
const MAX_FRAMES = 24;
const POSTER_WIDTH = 960;
/** Any source larger than this many pixels is refused (a decompression bomb). */
const MAX_INPUT_PIXELS = 40_000_000;

/** A dark disc with a white triangle, centred on a `width`×`height` frame; `ring` adds a halo (the second beat of a pulse). */
function playButton(width: number, height: number, ring = false): Buffer {
  const r = Math.round(Math.min(width, height) / 5);
  const cx = width / 2;
  const cy = height / 2;
  const t = r * 0.45;
  const halo = ring ? `<circle cx="${cx}" cy="${cy}" r="${r + r / 5}" fill="none" stroke="#ffffff" stroke-opacity="0.8" stroke-width="${Math.max(2, r / 8)}"/>` : '';
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${halo}` +
      `<circle cx="${cx}" cy="${cy}" r="${r}" fill="#000000" fill-opacity="0.6"/>` +
      `<path d="M ${cx - t * 0.6} ${cy - t} L ${cx + t} ${cy} L ${cx - t * 0.6} ${cy + t} Z" fill="#ffffff"/></svg>`,
  );
}

function frameSize(width: number, height: number): { width: number; height: number } {
  return { width: THUMBNAIL_WIDTH, height: Math.max(1, Math.round((height * THUMBNAIL_WIDTH) / width)) };
}

/** An animated GIF (looping) from HeyGen's GIF: every kept frame scaled to the thumbnail width with the play button drawn on. */
export async function thumbnailFromGif(gif: Buffer): Promise<Buffer> {
  const sharp = await loadSharp();
  const meta = await sharp(gif, { animated: true, limitInputPixels: MAX_INPUT_PIXELS }).metadata();
  const pages = meta.pages ?? 1;
  const pageHeight = meta.pageHeight ?? meta.height;
  if (pages < 2 || !meta.width || !pageHeight) return thumbnailFromImage(gif);
  const size = frameSize(meta.width, pageHeight);
  const step = Math.ceil(pages / MAX_FRAMES);
  const kept = Array.from({ length: Math.ceil(pages / step) }, (_, i) => i * step);
  const delays = kept.map((page) => {
    let total = 0;
    for (let p = page; p < Math.min(page + step, pages); p++) total += meta.delay?.[p] ?? 100;
    return total;
  });
  const button = playButton(size.width, size.height);
  const frames = await Promise.all(
    kept.map((page) =>
      sharp(gif, { page, limitInputPixels: MAX_INPUT_PIXELS })
        .resize(size.width, size.height, { fit: 'cover' })
        .composite([{ input: button }])
        .png()
        .toBuffer(),
    ),
  );
  return sharp(frames, { join: { animated: true } }).gif({ loop: 0, delay: delays, effort: 7 }).toBuffer();
}

/** An animated GIF from a still image (HeyGen's thumbnail when it made no GIF): two beats of a pulsing play button. */
export async function thumbnailFromImage(image: Buffer): Promise<Buffer> {
  const sharp = await loadSharp();
  const meta = await sharp(image, { limitInputPixels: MAX_INPUT_PIXELS }).metadata();
  if (!meta.width || !meta.height) throw new Error('the thumbnail image has no size');
  const size = frameSize(meta.width, meta.height);
  const base = await sharp(image, { limitInputPixels: MAX_INPUT_PIXELS }).resize(size.width, size.height, { fit: 'cover' }).png().toBuffer();
  const frames = await Promise.all(
    [false, true].map((ring) => sharp(base).composite([{ input: playButton(size.width, size.height, ring) }]).png().toBuffer()),
  );
  return sharp(frames, { join: { animated: true } }).gif({ loop: 0, delay: [900, 600], effort: 7 }).toBuffer();
}

/** The page's poster: a JPEG at most `POSTER_WIDTH` wide (the first frame of a GIF). */
export async function posterFrom(image: Buffer): Promise<Buffer> {
  const sharp = await loadSharp();
  return sharp(image, { page: 0, limitInputPixels: MAX_INPUT_PIXELS })
    .resize({ width: POSTER_WIDTH, withoutEnlargement: true })
    .flatten({ background: '#000000' })
    .jpeg({ quality: 80, mozjpeg: true })
    .toBuffer();
}

/** A campaign's logo as PNG, at most 480×160 (any image sharp reads, SVG included, is rasterised). */
export async function logoFrom(image: Buffer): Promise<Buffer> {
  const sharp = await loadSharp();
  return sharp(image, { page: 0, limitInputPixels: MAX_INPUT_PIXELS })
    .resize({ width: 480, height: 160, fit: 'inside', withoutEnlargement: true })
    .png()
    .toBuffer();
}
