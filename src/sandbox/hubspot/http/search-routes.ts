/** `POST /crm/v3/objects/{type}/search`: reads the lagging index, limited per second, no rate-limit headers. */
import type { FastifyInstance } from 'fastify';
import { runSearch, searchBodySchema } from '../search/search-query.js';
import { registerApiRoute } from './api-route.js';
import type { SandboxContext } from './context.js';
import { parseBody } from './parse-body.js';
import { objectTypeParam } from './request-parts.js';

export function registerSearchRoutes(app: FastifyInstance, ctx: SandboxContext): void {
  registerApiRoute(app, ctx, {
    method: 'POST',
    url: '/crm/v3/objects/:objectType/search',
    operation: 'search',
    budget: 'search',
    handle: (request) => {
      const type = objectTypeParam(request);
      const body = parseBody(searchBodySchema, request.body);
      return { status: 200, body: runSearch(ctx.registry, type, ctx.searchIndex.docs(type), body) };
    },
  });
}
