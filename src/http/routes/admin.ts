/** `/api/*`: the admin JSON API (bearer `REELAY_ADMIN_TOKEN`). */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { EngineContext } from '../../engine/context.js';
import { budgetStatus } from '../../app/budget-usage.js';
import { listRendersWithCounts } from '../../app/list-renders.js';
import { approveRender, cancelOne, rejectRender, retryAllFailed, retryOne, type OperationResult } from '../../app/render-actions.js';
import type { ReloadOutcome } from '../../app/reload-config.js';
import { showRender } from '../../app/show-render.js';
import { forgetPerson, parseForgetRequest } from '../../app/forget.js';
import { parseInboundJson } from '../../core/json-depth.js';
import { rawBodyOf } from '../app.js';
import { hasBearer } from '../bearer.js';
import { noBody, noQuery, parseAdminInput, rejectBody, renderIdParams, retryFailedQuery, listRendersQuery, type AdminInput } from '../admin-input.js';

export async function registerAdminRoutes(app: FastifyInstance, ctx: EngineContext, token: string, reloadConfig?: () => ReloadOutcome): Promise<void> {
  await app.register(async (api) => {
    api.addHook('onRequest', async (request, reply) => {
      if (!hasBearer(request.headers.authorization, token)) {
        return reply.code(401).send({ error: 'unauthorized', message: 'send Authorization: Bearer <REELAY_ADMIN_TOKEN>' });
      }
    });

    api.get('/renders', async (request, reply) => {
      const query = parseAdminInput(listRendersQuery, request.query);
      if (!query.ok) return refuse(reply, query);
      const { state, campaign, object, objectId, limit } = query.value;
      const filter = {
        ...(state ? { state } : {}),
        ...(campaign ? { campaignId: campaign } : {}),
        ...(object ? { objectType: object } : {}),
        ...(objectId ? { objectId } : {}),
        limit,
      };
      return listRendersWithCounts(ctx.store, filter);
    });

    api.get('/renders/:id', async (request, reply) => {
      const params = parseAdminInput(renderIdParams, request.params);
      if (!params.ok) return refuse(reply, params);
      const { id } = params.value;
      const detail = await showRender(ctx.store, id);
      if (!detail) return reply.code(404).send({ error: 'not_found' });
      return detail;
    });

    api.post('/renders/:id/retry', async (request, reply) => {
      const input = actionInput(request);
      if (!input.ok) return refuse(reply, input);
      const result = await retryOne(ctx, input.value.id);
      if (!result.ok) return reply.code(409).send({ error: 'conflict', message: result.reason });
      ctx.wake('enrich');
      return result;
    });

    api.post('/renders/:id/cancel', async (request, reply) => {
      const input = actionInput(request);
      if (!input.ok) return refuse(reply, input);
      const result = await cancelOne(ctx, input.value.id);
      ctx.wake('write');
      if (!result.ok) return reply.code(409).send({ error: 'conflict', message: result.reason });
      return result;
    });

    // Review before send (`review: required`): approve writes the video back; reject fails it with the reason.
    api.post('/renders/:id/approve', async (request, reply) => {
      const input = actionInput(request);
      if (!input.ok) return refuse(reply, input);
      return reviewed(reply, await approveRender(ctx, input.value.id));
    });

    api.post('/renders/:id/reject', async (request, reply) => {
      const params = parseAdminInput(renderIdParams, request.params);
      if (!params.ok) return refuse(reply, params);
      const query = parseAdminInput(noQuery, request.query);
      if (!query.ok) return refuse(reply, query);
      const body = parseAdminInput(rejectBody, request.body, 'body');
      if (!body.ok) return refuse(reply, body);
      return reviewed(reply, await rejectRender(ctx, params.value.id, body.value.reason));
    });

    api.post('/renders/retry-failed', async (request, reply) => {
      const query = parseAdminInput(retryFailedQuery, request.query);
      if (!query.ok) return refuse(reply, query);
      const body = parseAdminInput(noBody, request.body, 'body');
      if (!body.ok) return refuse(reply, body);
      const result = await retryAllFailed(ctx, query.value.campaign);
      ctx.wake('enrich');
      return result;
    });

    // A privacy request: `{"object": "contacts", "id": "123"}`. The HeyGen deletions it queues are the privacy worker's.
    api.post('/forget', async (request, reply) => {
      const query = parseAdminInput(noQuery, request.query);
      if (!query.ok) return refuse(reply, query);
      const json = parseInboundJson(rawBodyOf(request.body).toString('utf8') || '{}');
      if (!json.ok) return reply.code(400).send({ error: 'bad_request', message: json.message });
      const body = (typeof json.value === 'object' && json.value !== null ? json.value : {}) as Record<string, unknown>;
      const asText = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
      const parsed = parseForgetRequest(asText(body.object), asText(body.id));
      if (!parsed.ok) return reply.code(400).send({ error: 'bad_request', message: parsed.reason });
      const outcome = await forgetPerson(ctx, parsed.target);
      ctx.wake('privacy');
      return { forgotten: `${parsed.target.objectType}/${parsed.target.objectId}`, erased: outcome.counts, heygenDeletions: outcome.pendingDeletions };
    });

    /** Credit budget use today: `{ budgets: [{ scope, cap, used, day, exhausted }] }`. */
    api.get('/budgets', async (request, reply) => {
      const query = parseAdminInput(noQuery, request.query);
      if (!query.ok) return refuse(reply, query);
      return { budgets: await budgetStatus(ctx) };
    });

    /** Re-reads REELAY_CONFIG, like SIGHUP: 200 with what changed, or 422 and the running configuration stays. */
    api.post('/config/reload', async (request, reply) => {
      const query = parseAdminInput(noQuery, request.query);
      if (!query.ok) return refuse(reply, query);
      const body = parseAdminInput(noBody, request.body, 'body');
      if (!body.ok) return refuse(reply, body);
      if (reloadConfig === undefined) return reply.code(409).send({ error: 'conflict', message: 'this process has no configuration file to reload' });
      const outcome = reloadConfig();
      if (!outcome.ok) return reply.code(422).send({ error: 'invalid_config', message: outcome.error });
      return outcome;
    });
  }, { prefix: '/api' });
}

/** An approve or reject: 404 for an unknown render, 400 for unusable input, 409 when the render is not awaiting review. */
function reviewed(reply: FastifyReply, result: OperationResult): OperationResult | FastifyReply {
  if (result.ok) return result;
  if (result.code === 'not_found') return reply.code(404).send({ error: 'not_found', message: result.reason });
  if (result.code === 'invalid_input') return reply.code(400).send({ error: 'bad_request', message: result.reason });
  return reply.code(409).send({ error: 'conflict', message: result.reason });
}

function refuse(reply: FastifyReply, input: Extract<AdminInput<unknown>, { ok: false }>): FastifyReply {
  return reply.code(400).send({ error: 'bad_request', message: input.message, issues: input.issues });
}

/** A render action: a valid id, no body, no query. */
function actionInput(request: FastifyRequest): AdminInput<{ id: number }> {
  const params = parseAdminInput(renderIdParams, request.params);
  if (!params.ok) return params;
  const query = parseAdminInput(noQuery, request.query);
  if (!query.ok) return query;
  const body = parseAdminInput(noBody, request.body, 'body');
  if (!body.ok) return body;
  return params;
}
