import type { FastifyInstance } from 'fastify';
import type { EngineContext } from '../../engine/context.js';
import { refreshQueueMetrics } from '../../engine/housekeeping.js';

export async function registerMetricsRoute(app: FastifyInstance, ctx: EngineContext): Promise<void> {
  app.get('/metrics', async (_request, reply) => {
    await refreshQueueMetrics(ctx);
    return reply.header('content-type', ctx.metrics.registry.contentType).send(await ctx.metrics.registry.metrics());
  });
}
