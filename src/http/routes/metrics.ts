/** `GET /metrics`: Prometheus text; behind a bearer token when `REELAY_METRICS_TOKEN` is set. */
import type { FastifyInstance } from 'fastify';
import type { EngineContext } from '../../engine/context.js';
import { refreshQueueMetrics } from '../../engine/housekeeping.js';
import { hasBearer } from '../bearer.js';

export async function registerMetricsRoute(app: FastifyInstance, ctx: EngineContext, token: string | undefined): Promise<void> {
  app.get('/metrics', async (request, reply) => {
    if (token !== undefined && !hasBearer(request.headers.authorization, token)) {
      return reply.code(401).send({ error: 'unauthorized', message: 'send Authorization: Bearer <REELAY_METRICS_TOKEN>' });
    }
    await refreshQueueMetrics(ctx);
    return reply.header('content-type', ctx.metrics.registry.contentType).send(await ctx.metrics.registry.metrics());
  });
}
