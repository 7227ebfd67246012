/**
 * Webhook endpoint registration (v3 and legacy v1) and the v3 delivery
 * history. A secret is shown only on create and rotate. v1 `endpoint.add`
 * probes the URL with OPTIONS (1 s) and refuses it unless it answers 200.
 */
import type { FastifyInstance } from 'fastify';
import { invalidParameter, SandboxApiError } from '../api-error.js';
import type { SandboxState } from '../state.js';
import { endpointView, readRegistration } from '../webhook-endpoints.js';
import { badToken, readLimit, type PageQuery } from './query.js';

const PROBE_TIMEOUT_MS = 1000;

async function probe(url: string): Promise<void> {
  let status: number;
  try {
    const response = await fetch(url, { method: 'OPTIONS', signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    await response.arrayBuffer();
    status = response.status;
  } catch {
    throw new SandboxApiError(400, 'invalid_parameter', `${url} did not answer an OPTIONS request within ${PROBE_TIMEOUT_MS} ms`);
  }
  if (status !== 200) throw new SandboxApiError(400, 'invalid_parameter', `${url} answered OPTIONS with ${status}; 200 is required`);
}

export function registerWebhookRoutes(app: FastifyInstance, state: SandboxState): void {
  app.post('/v3/webhooks/endpoints', async (request) => {
    const { url, events } = readRegistration(request.body);
    return { data: endpointView(state.endpoints.add(url, events), true) };
  });

  app.get('/v3/webhooks/endpoints', async () => ({
    data: state.endpoints.list().map((e) => endpointView(e, false)),
    has_more: false,
    next_token: null,
  }));

  app.delete<{ Params: { endpointId: string } }>('/v3/webhooks/endpoints/:endpointId', async (request) => {
    state.endpoints.remove(request.params.endpointId);
    return { data: {}, error: null };
  });

  app.post<{ Params: { endpointId: string } }>('/v3/webhooks/endpoints/:endpointId/rotate-secret', async (request) => {
    const endpoint = state.endpoints.rotateSecret(request.params.endpointId);
    return { data: { endpoint_id: endpoint.endpointId, secret: endpoint.secret } };
  });

  app.get<{ Querystring: PageQuery }>('/v3/webhooks/events', async (request) => {
    const page = state.events.page(readLimit(request.query.limit, 10, 100), request.query.token) ?? badToken();
    return { data: page.items, has_more: page.nextToken !== null, next_token: page.nextToken };
  });

  app.post('/v1/webhook/endpoint.add', async (request) => {
    const { url, events } = readRegistration(request.body);
    await probe(url);
    return { code: 100, data: endpointView(state.endpoints.add(url, events), true), message: 'Success' };
  });

  app.get('/v1/webhook/endpoint.list', async () => ({
    code: 100,
    data: state.endpoints.list().map((e) => endpointView(e, false)),
    message: 'Success',
  }));

  app.delete<{ Querystring: { endpoint_id?: string } }>('/v1/webhook/endpoint.delete', async (request) => {
    const id = request.query.endpoint_id;
    if (id === undefined || id === '') throw invalidParameter('endpoint_id is required');
    state.endpoints.remove(id);
    return { code: 100, data: null, message: 'Success' };
  });
}
