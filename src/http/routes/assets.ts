/** `GET /assets/reelay-player.js`: the video page's script, cached for a week and revalidated by its ETag. */
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { reelayPlayerScript } from '../assets/reelay-player.js';

const etag = `"${createHash('sha256').update(reelayPlayerScript).digest('base64url').slice(0, 22)}"`;
const WEEK_SECONDS = 7 * 24 * 60 * 60;

export async function registerAssetRoutes(app: FastifyInstance): Promise<void> {
  app.get('/assets/reelay-player.js', async (request, reply) => {
    reply
      .header('cache-control', `public, max-age=${WEEK_SECONDS}`)
      .header('etag', etag)
      .header('x-content-type-options', 'nosniff');
    if (request.headers['if-none-match'] === etag) return reply.code(304).send();
    return reply.code(200).type('text/javascript; charset=utf-8').send(reelayPlayerScript);
  });
}
