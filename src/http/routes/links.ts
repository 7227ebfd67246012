/**
 * `GET /v/:token`: the stable video link written to the CRM. A browser
 * (`Accept` with `text/html`) gets the video page; any other client, a
 * `HEAD` and `?raw=1` (the page's own `<video src>`) get a 302 to a fresh
 * HeyGen URL. `/v/:token/thumbnail.gif` (the e-mail thumbnail),
 * `/v/:token/poster.jpg` and `/v/:token/logo.png` serve the images made
 * once and kept in the database, with an ETag (304 on a match).
 * A GET changes nothing and counts nothing (mail scanners open every link).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { resolveLink } from '../../app/resolve-link.js';
import { showVideoImage, type VideoImageKind } from '../../app/video-image.js';
import { showVideoPage } from '../../app/video-page.js';
import type { EngineContext } from '../../engine/context.js';
import { VIDEO_PAGE_CSS, VIDEO_PAGE_CSS_PATH } from '../assets/video-page-css.js';

type LinkRequest = FastifyRequest<{ Params: { token: string }; Querystring: { raw?: string } }>;

/** A browser navigating to the page (not the `<video>` element, not a link checker). */
function wantsPage(request: LinkRequest): boolean {
  if (request.method !== 'GET' || request.query.raw !== undefined) return false;
  return (request.headers.accept ?? '').toLowerCase().includes('text/html');
}

const images: Record<string, VideoImageKind> = { 'thumbnail.gif': 'thumbnail', 'poster.jpg': 'poster', 'logo.png': 'logo' };

/** A day: the images never change for a token, but an erased render's should not linger for long in caches. */
const IMAGE_CACHE = 'public, max-age=86400';

export async function registerLinkRoutes(app: FastifyInstance, ctx: EngineContext): Promise<void> {
  app.get<{ Params: { token: string }; Querystring: { raw?: string } }>('/v/:token', async (request, reply) => {
    // The token is a credential: never hand it to another site through Referer.
    reply.header('referrer-policy', 'no-referrer').header('x-content-type-options', 'nosniff').header('vary', 'Accept');
    if (wantsPage(request)) return sendPage(request, reply, ctx);
    const result = await resolveLink(ctx, request.params.token);
    if (result.kind === 'redirect') return reply.code(302).header('cache-control', 'no-store').redirect(result.url);
    if (result.kind === 'not_found') return reply.code(404).send({ error: 'not_found' });
    return reply.code(503).header('retry-after', '30').send({ error: 'unavailable', message: result.reason });
  });

  for (const [file, kind] of Object.entries(images)) {
    app.get<{ Params: { token: string } }>(`/v/:token/${file}`, async (request, reply) => {
      reply.header('referrer-policy', 'no-referrer').header('x-content-type-options', 'nosniff');
      const result = await showVideoImage(ctx, request.params.token, kind);
      if (result.kind === 'not_found') return reply.code(404).send({ error: 'not_found' });
      if (result.kind === 'unavailable') return reply.code(503).header('retry-after', '30').send({ error: 'unavailable', message: result.reason });
      const { image } = result;
      reply.header('cache-control', IMAGE_CACHE).header('etag', image.etag);
      if (matches(request.headers['if-none-match'], image.etag)) return reply.code(304).send();
      return reply.code(200).type(image.contentType).send(image.body);
    });
  }

  app.get('/assets/reelay-page.css', async (_request, reply) =>
    reply
      .type('text/css; charset=utf-8')
      // Versioned by its content (`?v=`): a new stylesheet has a new address.
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('x-content-type-options', 'nosniff')
      .send(VIDEO_PAGE_CSS),
  );
}

async function sendPage(request: LinkRequest, reply: FastifyReply, ctx: EngineContext): Promise<FastifyReply> {
  const result = await showVideoPage(ctx, request.params.token, VIDEO_PAGE_CSS_PATH);
  reply.header('cache-control', 'no-store');
  if (result.kind !== 'page') reply.header('content-security-policy', "default-src 'none'; style-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
  if (result.kind === 'not_found') return reply.code(404).type('text/html; charset=utf-8').send(messagePage('Video not found', 'This link is not valid, or the video is no longer available.'));
  if (result.kind === 'unavailable') {
    return reply.code(503).header('retry-after', '30').type('text/html; charset=utf-8').send(messagePage('Video not available right now', 'Please try again in a minute.'));
  }
  return reply.code(200).type('text/html; charset=utf-8').header('content-security-policy', result.contentSecurityPolicy).send(result.html);
}

/** A page with a fixed text (nothing interpolated from the request), under a CSP that allows nothing but the stylesheet. */
function messagePage(heading: string, text: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${heading}</title><link rel="stylesheet" href="${VIDEO_PAGE_CSS_PATH}"></head><body><main class="page"><h1>${heading}</h1><p>${text}</p></main></body></html>`;
}

function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t === etag || t === `W/${etag}`;
  });
}
