/**
 * `POST /v/:token/events`: the video page's engagement beacon (`play`,
 * `progress`, `complete`, `cta`). The token is the only credential. No
 * cookie is set, and the client's address is neither read nor logged.
 */
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { engagementRateLimit, recordEngagementEvent } from '../../app/record-engagement-event.js';
import type { EngineContext } from '../../engine/context.js';
import { rawBodyOf } from '../app.js';

/** The largest `POST /v/:token/events` body (SPEC). */
const EVENT_BODY_LIMIT = 1024;

export function registerLinkEventRoutes(app: FastifyInstance, ctx: EngineContext): void {
  const limit = engagementRateLimit();
  const refuse = (reply: FastifyReply, status: number, reason: string, body: Record<string, string>) => {
    ctx.metrics.engagementRefused.inc({ reason });
    return reply.code(status).header('cache-control', 'no-store').send(body);
  };
  app.post<{ Params: { token: string } }>(
    '/v/:token/events',
    {
      bodyLimit: EVENT_BODY_LIMIT,
      errorHandler: (err: FastifyError, _request, reply) => {
        if (err.statusCode === 413) return refuse(reply, 413, 'too_large', { error: 'payload_too_large', message: `body over ${EVENT_BODY_LIMIT} bytes` });
        if (err.statusCode === 415) return refuse(reply, 415, 'unsupported_type', { error: 'unsupported_media_type' });
        // Everything else as the app answers it (5xx logged once, with its request id).
        throw err;
      },
    },
    async (request, reply) => {
      const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
      if (type !== 'application/json' && type !== 'text/plain') {
        return refuse(reply, 415, 'unsupported_type', { error: 'unsupported_media_type', message: 'send application/json or text/plain' });
      }
      const outcome = await recordEngagementEvent(ctx, limit, request.params.token, rawBodyOf(request.body).toString('utf8'));
      switch (outcome.kind) {
        case 'recorded':
          ctx.metrics.engagementEvents.inc({ type: outcome.type });
          return reply.code(204).header('cache-control', 'no-store').send();
        case 'invalid':
          return refuse(reply, 400, 'invalid', { error: 'invalid_event', message: outcome.message });
        case 'not_found':
          return refuse(reply, 404, 'unknown_token', { error: 'not_found' });
        case 'rate_limited':
          reply.header('retry-after', String(outcome.retryAfterSeconds));
          return refuse(reply, 429, 'rate_limited', { error: 'rate_limited', message: 'too many events for this video' });
      }
    },
  );
}
