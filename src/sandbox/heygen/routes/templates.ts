/** Template list and detail, v3 and v2 shapes. */
import type { FastifyInstance } from 'fastify';
import { notFound } from '../api-error.js';
import type { SandboxState } from '../state.js';
import { v3TemplateDetail, variablesView, type SandboxTemplate } from '../templates.js';

function findTemplate(state: SandboxState, id: string): SandboxTemplate {
  const template = state.templates.get(id);
  if (!template) throw notFound('template_not_found', `template ${id} not found`);
  return template;
}

const summary = (t: SandboxTemplate) => ({ id: t.id, template_id: t.id, name: t.name, aspect_ratio: t.aspectRatio ?? '16:9', thumbnail_url: null });

export function registerTemplateRoutes(app: FastifyInstance, state: SandboxState): void {
  app.get('/v3/templates', async () => ({ data: state.templates.list().map(summary), has_more: false, next_token: null }));

  app.get<{ Params: { templateId: string } }>('/v3/templates/:templateId', async (request) => {
    const template = findTemplate(state, request.params.templateId);
    return { data: { ...summary(template), ...v3TemplateDetail(template) } };
  });

  app.get('/v2/templates', async () => ({ error: null, data: { templates: state.templates.list().map(summary) } }));

  app.get<{ Params: { templateId: string } }>('/v2/template/:templateId', async (request) => {
    const template = findTemplate(state, request.params.templateId);
    return { error: null, data: { template_id: template.id, name: template.name, variables: variablesView(template) } };
  });
}
