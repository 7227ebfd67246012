/**
 * The pipeline every HubSpot API route goes through, in HubSpot's order:
 * authentication (before body parsing), injected latency / resets, the rate limits (search has its
 * own and answers without rate-limit headers), injected 5xx, the handler,
 * and an optional reset after a write was applied.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import { setTimeout as sleep } from 'node:timers/promises';
import { CrmApiError } from '../api-error.js';
import { randomUuid } from '../ids.js';
import type { RatePolicy } from '../limits/app-limiter.js';
import { pathVersion } from './api-versions.js';
import type { SandboxContext } from './context.js';
import { authErrorBody, rateLimitBody, serverErrorBody } from './responses.js';

/** What `Retry-After` (when enabled) says on an injected 429. */
const injectedRetryAfterMs = 1000;

export interface ApiResult {
  status: number;
  body: unknown;
}

export interface ApiRouteSpec {
  method: HTTPMethods;
  url: string;
  /** Name in stats and in `faults.operations`. */
  operation: string;
  /** `search` routes use the per-second search limit and carry no rate-limit headers. */
  budget: 'standard' | 'search';
  /** A write that `resetAfterWriteRate` may apply and then drop. */
  write?: boolean;
  handle: (request: FastifyRequest) => ApiResult | Promise<ApiResult>;
}

export function registerApiRoute(app: FastifyInstance, ctx: SandboxContext, spec: ApiRouteSpec): void {
  const version = pathVersion(spec.url);
  app.route({
    method: spec.method,
    url: spec.url,
    // Authentication runs before the body is parsed, so a bad token is never masked by a bad body.
    onRequest: async (request, reply) => {
      ctx.stats.request(spec.operation, version);
      if (!authorised(request.headers.authorization, ctx.accessToken)) {
        return send(ctx, reply, 401, authErrorBody(randomUuid(ctx.random)), {});
      }
      return undefined;
    },
    handler: (request, reply) => runPipeline(ctx, spec, request, reply),
  });
}

async function runPipeline(ctx: SandboxContext, spec: ApiRouteSpec, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const { faults, stats, limiter } = ctx;
  const op = spec.operation;
  const correlationId = randomUuid(ctx.random);

  const latency = faults.latencyFor(op);
  if (latency > 0) await sleep(latency);
  if (faults.strikes('resetRate', op)) {
    stats.fault('resets');
    return destroy(ctx, request, reply);
  }

  let headers: Record<string, string> = {};
  if (spec.budget === 'search') {
    const injected = faults.strikes('rateLimitStormRate', op);
    if (injected || !limiter.acquireSearch().ok) return tooMany(ctx, reply, 'SECONDLY', injected, correlationId, {}, undefined);
  } else {
    stats.budgetedRequest(ctx.clock.now());
    if (faults.strikes('rateLimitStormRate', op)) {
      return tooMany(ctx, reply, 'TEN_SECONDLY_ROLLING', true, correlationId, limiter.peekHeaders(), injectedRetryAfterMs);
    }
    const acquired = limiter.acquire();
    if (!acquired.ok) return tooMany(ctx, reply, acquired.policy, false, correlationId, acquired.headers, acquired.retryAfterMs);
    headers = acquired.headers;
  }

  if (faults.strikes('errorRate', op)) {
    const status = faults.serverErrorStatus();
    stats.fault('serverErrors');
    const injected = serverErrorBody(status, correlationId);
    stats.answered(status);
    return reply.code(status).headers(headers).type(injected.contentType).send(injected.body);
  }

  let result: ApiResult;
  try {
    result = await spec.handle(request);
  } catch (err) {
    if (!(err instanceof CrmApiError)) throw err;
    return send(ctx, reply, err.status, err.toBody(correlationId), headers);
  }
  if (spec.write === true && faults.strikes('resetAfterWriteRate', op)) {
    stats.fault('resetsAfterWrite');
    return destroy(ctx, request, reply);
  }
  return send(ctx, reply, result.status, result.body, headers);
}

function authorised(header: string | undefined, token: string): boolean {
  const match = /^bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1] === token;
}

function tooMany(
  ctx: SandboxContext,
  reply: FastifyReply,
  policy: RatePolicy,
  injected: boolean,
  correlationId: string,
  headers: Record<string, string>,
  retryAfterMs: number | undefined,
): FastifyReply {
  ctx.stats.limited(policy, injected);
  const withRetry =
    ctx.limiter.limits().retryAfter && retryAfterMs !== undefined ? { ...headers, 'retry-after': String(Math.max(1, Math.ceil(retryAfterMs / 1000))) } : headers;
  return send(ctx, reply, 429, rateLimitBody(policy, correlationId, ctx.appId), withRetry);
}

function send(ctx: SandboxContext, reply: FastifyReply, status: number, body: unknown, headers: Record<string, string>): FastifyReply {
  ctx.stats.answered(status);
  return reply.code(status).headers(headers).send(body);
}

function destroy(ctx: SandboxContext, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  ctx.stats.answered('reset');
  reply.hijack();
  request.raw.socket.destroy();
  return reply;
}
