import type { FastifyInstance } from 'fastify';
import { databaseReadiness } from '../../app/readiness.js';
import type { AppOptions } from '../app.js';

/** `/healthz`: the process answers. `/readyz`: it can do its job (database reachable, migrated, not stopping). */
export async function registerHealthRoutes(app: FastifyInstance, opts: AppOptions): Promise<void> {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    if (!opts.accepting()) return reply.code(503).send({ status: 'stopping' });
    const status = await databaseReadiness(opts.ctx.store);
    if (status !== 'ready') return reply.code(503).send({ status });
    return { status };
  });
}
