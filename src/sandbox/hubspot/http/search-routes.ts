/** `POST /crm/v3/objects/{type}/search` (and its 2026-03 twin): reads the lagging index, limited per second, no rate-limit headers. */
import type { FastifyInstance } from 'fastify';
import { runSearch, searchBodySchema } from '../search/search-query.js';
import { registerApiRoute } from './api-route.js';
import { apiVersionBases } from './api-versions.js';
import type { SandboxContext } from './context.js';
import { parseBody } from './parse-body.js';
import { objectTypeParam } from './request-parts.js';

export function registerSearchRoutes(app: FastifyInstance, ctx: SandboxContext): void {
  for (const bases of apiVersionBases) registerSearchRoute(app, ctx, `${bases.objects}/:objectType/search`);
}

function registerSearchRoute(app: FastifyInstance, ctx: SandboxContext, url: string): void {
  registerApiRoute(app, ctx, {
    method: 'POST',
    url,
    operation: 'search',
    budget: 'search',
    handle: (request) => {
      const type = objectTypeParam(request);
      const body = parseBody(searchBodySchema, request.body);
      return { status: 200, body: runSearch(ctx.registry, type, ctx.searchIndex.docs(type), body) };
    },
  });
}
