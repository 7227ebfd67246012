/**
 * What every API request goes through before its route: injected faults
 * (latency, reset, 5xx, spurious 429, all before anything is done), then the
 * `X-Api-Key` check. Also the JSON body parser and the error and not-found
 * answers in each API family's shape. `/_sandbox/*` is exempt from faults and
 * auth.
 */
import { timingSafeEqual } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ConfigError } from '../../../core/errors.js';
import { errorBody, familyOf, invalidParameter, SandboxApiError, type ApiFamily } from '../api-error.js';
import type { SandboxState } from '../state.js';

export function sendApiError(reply: FastifyReply, family: ApiFamily, err: SandboxApiError): FastifyReply {
  return reply.code(err.status).headers(err.headers).send(errorBody(family, err));
}

function apiKeyMatches(given: string | string[] | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function applyFaultsAndAuth(state: SandboxState, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
  const family = familyOf(request.url);
  if (family === null) return undefined;
  state.stats.bump('requests');

  const fault = state.faults.drawRequestFault();
  if (fault.latencyMs > 0) await sleep(fault.latencyMs, undefined, { signal: state.closingSignal });
  switch (fault.action) {
    case 'reset':
      state.stats.bump('resetsInjected');
      reply.hijack();
      request.raw.socket.destroy();
      return reply;
    case 'error':
      state.stats.bump('errorsInjected');
      return sendApiError(reply, family, new SandboxApiError(fault.errorStatus, 'internal_error', 'Internal server error, please retry'));
    case 'rate_limit':
      state.stats.bump('rateLimited');
      state.stats.bump('spuriousRateLimited');
      return sendApiError(
        reply,
        family,
        new SandboxApiError(429, 'rate_limit_exceeded', 'Too many requests', { 'retry-after': String(fault.retryAfterSeconds) }),
      );
    case 'none':
      break;
  }

  if (!apiKeyMatches(request.headers['x-api-key'], state.options.apiKey)) {
    return sendApiError(reply, family, new SandboxApiError(401, 'unauthorized', 'Invalid or missing API key (X-Api-Key)'));
  }
  return undefined;
}

/** Our own errors keep their status; Fastify's 4xx (bad JSON, too large) become `invalid_parameter`; the rest is a 500. */
function toApiError(error: unknown): SandboxApiError {
  if (error instanceof SandboxApiError) return error;
  if (error instanceof ConfigError) return invalidParameter(error.message);
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const message = error instanceof Error ? error.message : 'bad request';
    return new SandboxApiError(status, status === 413 ? 'payload_too_large' : 'invalid_parameter', message);
  }
  return new SandboxApiError(500, 'internal_error', 'Internal server error');
}

export function registerApiPlumbing(app: FastifyInstance, state: SandboxState): void {
  // An empty JSON body reads as "no body" (clients send Content-Type on bodiless POSTs).
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    try {
      done(null, JSON.parse(text));
    } catch {
      done(invalidParameter('request body is not valid JSON'), undefined);
    }
  });

  app.addHook('onRequest', (request, reply) => applyFaultsAndAuth(state, request, reply));

  app.setErrorHandler((error, request, reply) => {
    const family = familyOf(request.url);
    const apiError = toApiError(error);
    if (family === null) return reply.code(apiError.status).send({ error: apiError.message });
    return sendApiError(reply, family, apiError);
  });

  app.setNotFoundHandler((request, reply) => {
    const family = familyOf(request.url);
    const err = new SandboxApiError(404, 'not_found', `no route ${request.method} ${request.url.split('?')[0]}`);
    if (family === null) return reply.code(404).send({ error: err.message });
    return sendApiError(reply, family, err);
  });
}
