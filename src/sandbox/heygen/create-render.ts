/**
 * Accepting a render from a template (v3 and v2 alike): look up the template,
 * validate the body and variables, check credit and concurrency, then create,
 * bill and start it. Synchronous, so no other request can slip in between the
 * concurrency check and the start.
 */
import { notFound, SandboxApiError } from './api-error.js';
import { parseCreateBody } from './create-body.js';
import { planRender } from './render-plan.js';
import type { SandboxState } from './state.js';
import { resolveVariables } from './variables.js';
import type { VideoRecord } from './video-store.js';

export interface CreateRenderInput {
  api: 'v3' | 'v2';
  templateId: string;
  body: unknown;
  idempotencyKey: string | null;
}

export function createRender(state: SandboxState, input: CreateRenderInput): VideoRecord {
  const template = state.templates.get(input.templateId);
  if (!template) throw notFound('template_not_found', `template ${input.templateId} not found`);
  const body = parseCreateBody(input.body, input.api);
  const variables = resolveVariables(template, body.variables, {
    maxTextLength: state.options.maxTextLength,
    missingText: state.options.missingText,
  });

  if (!body.test && !state.billing.canAfford()) {
    throw new SandboxApiError(402, 'insufficient_credit', 'Insufficient credit to create this video');
  }
  const admission = state.engine.admission();
  if (admission.kind === 'reject') {
    state.stats.bump('rateLimited');
    const { concurrency } = state.limits();
    throw new SandboxApiError(
      429,
      'rate_limit_exceeded',
      `Concurrent render limit reached (${concurrency}); retry after ${admission.retryAfterSeconds} s`,
      { 'retry-after': String(admission.retryAfterSeconds) },
    );
  }

  const id = state.newVideoId();
  const video: VideoRecord = {
    seq: state.videos.nextSeq(),
    id,
    api: input.api,
    templateId: template.id,
    title: body.title,
    callbackId: body.callbackId,
    callbackUrl: body.callbackUrl,
    folderId: body.folderId,
    caption: body.caption,
    enableSharing: body.enableSharing,
    includeGif: body.includeGif,
    test: body.test,
    idempotencyKey: input.idempotencyKey,
    variables: variables.values,
    unfilledVariables: variables.unfilled,
    createdAtMs: state.options.clock.now(),
    plan: planRender(state.keyedRandom('render', id), state.options.renderMs, state.faults.current),
    status: 'waiting',
    completedAtMs: null,
    durationS: null,
    failure: null,
    stuck: false,
  };
  state.videos.add(video);
  state.billing.charge(video);
  state.stats.bump('createsAccepted');
  state.engine.submit(video);
  return video;
}
