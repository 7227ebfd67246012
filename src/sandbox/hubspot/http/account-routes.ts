/**
 * `GET /account-info/{v3|2026-03}/details`: the portal's id, time zone and
 * hosting, in the shape of HubSpot's `PortalInformationResponse` (every field
 * the spec requires). Any valid token may read it (scope `oauth`).
 */
import type { FastifyInstance } from 'fastify';
import { registerApiRoute } from './api-route.js';
import { apiVersionBases } from './api-versions.js';
import type { SandboxContext } from './context.js';

export function registerAccountRoutes(app: FastifyInstance, ctx: SandboxContext): void {
  for (const bases of apiVersionBases) {
    registerApiRoute(app, ctx, {
      method: 'GET',
      url: `${bases.accountInfo}/details`,
      operation: 'account.details',
      budget: 'standard',
      handle: () => {
        const offsetMs = utcOffsetMs(ctx.clock.now(), ctx.timeZone);
        return {
          status: 200,
          body: {
            portalId: ctx.portalId,
            accountType: 'STANDARD',
            timeZone: ctx.timeZone,
            companyCurrency: 'USD',
            additionalCurrencies: [],
            utcOffset: formatOffset(offsetMs),
            utcOffsetMilliseconds: offsetMs,
            uiDomain: 'app.hubspot.com',
            dataHostingLocation: 'na1',
          },
        };
      },
    });
  }
}

/** The zone's offset from UTC at `nowMs` (negative west of Greenwich). */
function utcOffsetMs(nowMs: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(nowMs));
  const n = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const local = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
  return local - Math.floor(nowMs / 1000) * 1000;
}

function formatOffset(ms: number): string {
  const sign = ms < 0 ? '-' : '+';
  const minutes = Math.abs(Math.round(ms / 60_000));
  return `${sign}${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}
