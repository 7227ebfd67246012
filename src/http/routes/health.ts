import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { isMigrated } from '../../store/migrate.js';
import type { AppOptions } from '../app.js';

/** `/healthz`: the process answers. `/readyz`: it can do its job (database reachable, migrated, not stopping). */
export async function registerHealthRoutes(app: FastifyInstance, opts: AppOptions): Promise<void> {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    if (!opts.accepting()) return reply.code(503).send({ status: 'stopping' });
    try {
      await sql`select 1`.execute(opts.ctx.store.db);
      if (!(await isMigrated(opts.ctx.store))) return reply.code(503).send({ status: 'not_migrated' });
    } catch {
      return reply.code(503).send({ status: 'database_unreachable' });
    }
    return { status: 'ready' };
  });
}
