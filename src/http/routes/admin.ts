/** `/api/*`: the admin JSON API (bearer `REELAY_ADMIN_TOKEN`). */
import type { FastifyInstance } from 'fastify';
import { isRenderState } from '../../core/states.js';
import type { EngineContext } from '../../engine/context.js';
import { cancelRender, retryFailed, retryRender } from '../../engine/operations.js';
import { findRender, renderTimeline } from '../../store/find-renders.js';
import { countRendersByState, listRenders } from '../../store/list-renders.js';
import { hasBearer } from '../bearer.js';

export async function registerAdminRoutes(app: FastifyInstance, ctx: EngineContext, token: string): Promise<void> {
  await app.register(async (api) => {
    api.addHook('onRequest', async (request, reply) => {
      if (!hasBearer(request.headers.authorization, token)) {
        return reply.code(401).send({ error: 'unauthorized', message: 'send Authorization: Bearer <REELAY_ADMIN_TOKEN>' });
      }
    });

    api.get<{ Querystring: Record<string, string | undefined> }>('/renders', async (request, reply) => {
      const { state, campaign, object, objectId, limit } = request.query;
      if (state !== undefined && !isRenderState(state)) return reply.code(400).send({ error: 'bad_request', message: `unknown state ${state}` });
      const filter = {
        ...(state ? { state } : {}),
        ...(campaign ? { campaignId: campaign } : {}),
        ...(object ? { objectType: object } : {}),
        ...(objectId ? { objectId } : {}),
        limit: Math.min(500, Number(limit ?? 50) || 50),
      };
      return { renders: await listRenders(ctx.store.db, filter), counts: await countRendersByState(ctx.store.db, filter) };
    });

    api.get<{ Params: { id: string } }>('/renders/:id', async (request, reply) => {
      const id = Number(request.params.id);
      const render = Number.isInteger(id) ? await findRender(ctx.store.db, id) : undefined;
      if (!render) return reply.code(404).send({ error: 'not_found' });
      return { render, timeline: await renderTimeline(ctx.store.db, id) };
    });

    api.post<{ Params: { id: string } }>('/renders/:id/retry', async (request, reply) => {
      const result = await retryRender(ctx, Number(request.params.id));
      if (!result.ok) return reply.code(409).send({ error: 'conflict', message: result.reason });
      ctx.wake('enrich');
      return result;
    });

    api.post<{ Params: { id: string } }>('/renders/:id/cancel', async (request, reply) => {
      const result = await cancelRender(ctx, Number(request.params.id));
      ctx.wake('write');
      if (!result.ok) return reply.code(409).send({ error: 'conflict', message: result.reason });
      return result;
    });

    api.post<{ Querystring: { campaign?: string } }>('/renders/retry-failed', async (request) => {
      const result = await retryFailed(ctx, request.query.campaign);
      ctx.wake('enrich');
      return result;
    });
  }, { prefix: '/api' });
}
