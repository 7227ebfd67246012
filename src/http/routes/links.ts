import type { FastifyInstance } from 'fastify';
import { resolveLink } from '../../app/resolve-link.js';
import type { EngineContext } from '../../engine/context.js';

/** `GET /v/:token`: the stable video link written to the CRM. */
export async function registerLinkRoutes(app: FastifyInstance, ctx: EngineContext): Promise<void> {
  app.get<{ Params: { token: string } }>('/v/:token', async (request, reply) => {
    const result = await resolveLink(ctx, request.params.token);
    if (result.kind === 'redirect') return reply.code(302).header('cache-control', 'no-store').redirect(result.url);
    if (result.kind === 'not_found') return reply.code(404).send({ error: 'not_found' });
    return reply.code(503).header('retry-after', '30').send({ error: 'unavailable', message: result.reason });
  });
}
