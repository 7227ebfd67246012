/**
 * Render creation: v3 `POST /v3/templates/{id}` (with `Idempotency-Key`) and
 * v2 `POST /v2/template/{id}/generate` (no idempotency, `test` renders).
 * Either may hit `timeoutAfterAcceptRate`: the render is created, billed and
 * stored under its key, but the socket is held and then destroyed.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { invalidParameter, SandboxApiError } from '../api-error.js';
import { createRender } from '../create-render.js';
import { readIdempotencyKey } from '../idempotency.js';
import type { SandboxState } from '../state.js';
import type { VideoRecord } from '../video-store.js';
import { v3VideoObject } from '../video-views.js';

interface TemplateParams {
  templateId: string;
}

function answerCreate(state: SandboxState, request: FastifyRequest, reply: FastifyReply, video: VideoRecord, body: unknown): FastifyReply {
  const faults = state.faults.current;
  if (state.keyedRandom('timeout-after-accept', video.id)() < faults.timeoutAfterAcceptRate) {
    state.stats.bump('timeoutsAfterAccept');
    reply.hijack();
    state.holdThenDrop(request.raw.socket, faults.timeoutAfterAcceptHoldMs);
    return reply;
  }
  return reply.code(200).send(body);
}

async function processingDelay(state: SandboxState): Promise<void> {
  const ms = state.faults.drawCreateProcessingMs();
  if (ms > 0) await sleep(ms, undefined, { signal: state.closingSignal });
}

export function registerRenderRoutes(app: FastifyInstance, state: SandboxState): void {
  app.post<{ Params: TemplateParams }>('/v3/templates/:templateId', async (request, reply) => {
    const key = readIdempotencyKey(request.headers['idempotency-key']);
    const scope = `POST /v3/templates/${request.params.templateId}`;
    if (key !== undefined) {
      const claim = state.idempotency.claim(scope, key);
      if (claim.kind === 'replay') {
        state.stats.bump('createsReplayed');
        return reply.code(claim.response.statusCode).header('idempotent-replayed', 'true').send(claim.response.body);
      }
      if (claim.kind === 'in_progress') {
        throw new SandboxApiError(409, 'request_in_progress', 'A request with this Idempotency-Key is still being processed');
      }
    }

    let video: VideoRecord;
    try {
      await processingDelay(state);
      video = createRender(state, { api: 'v3', templateId: request.params.templateId, body: request.body, idempotencyKey: key ?? null });
    } catch (err) {
      if (key !== undefined) state.idempotency.release(scope, key);
      throw err;
    }
    const body = { data: v3VideoObject(video, state.urls, state.baseUrl) };
    if (key !== undefined) state.idempotency.complete(scope, key, { statusCode: 200, body, videoId: video.id });
    return answerCreate(state, request, reply, video, body);
  });

  app.post<{ Params: TemplateParams }>('/v2/template/:templateId/generate', async (request, reply) => {
    await processingDelay(state);
    const video = createRender(state, { api: 'v2', templateId: request.params.templateId, body: request.body, idempotencyKey: null });
    return answerCreate(state, request, reply, video, { error: null, data: { video_id: video.id } });
  });

  // The seed guide's endpoint: it exists, but renders avatars, not templates.
  app.post('/v2/video/generate', async () => {
    throw invalidParameter('video_inputs is required (to render a template use POST /v2/template/{template_id}/generate)');
  });
}
