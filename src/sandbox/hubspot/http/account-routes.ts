/** Account info: `GET /account-info/v3/details` (the portal id journal subscriptions need). */
import type { FastifyInstance } from 'fastify';
import { registerApiRoute } from './api-route.js';
import type { SandboxContext } from './context.js';

export function registerAccountRoutes(app: FastifyInstance, ctx: SandboxContext): void {
  registerApiRoute(app, ctx, {
    method: 'GET',
    url: '/account-info/v3/details',
    operation: 'account.details',
    budget: 'standard',
    handle: () => ({
      status: 200,
      body: { portalId: ctx.portalId, accountType: 'STANDARD', timeZone: 'US/Eastern', companyCurrency: 'USD', additionalCurrencies: [], utcOffset: '-05:00', utcOffsetMilliseconds: -18_000_000, uiDomain: 'app.hubspot.com', dataHostingLocation: 'na1' },
    }),
  });
}
