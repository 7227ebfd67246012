/** Properties (v3 and 2026-03): definitions and groups per object type. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { notFoundError } from '../api-error.js';
import { propertyToJson } from '../crm/property-registry.js';
import { registerApiRoute } from './api-route.js';
import { apiVersionBases } from './api-versions.js';
import type { SandboxContext } from './context.js';
import { parseBody } from './parse-body.js';
import { objectTypeParam, param } from './request-parts.js';

const optionSchema = z.object({
  label: z.string(),
  value: z.string(),
  displayOrder: z.number().int().optional(),
  hidden: z.boolean().optional(),
  description: z.string().optional(),
});

/** 2026-03 (`OptionInput`): `displayOrder` and `hidden` are required. */
const strictOptionSchema = optionSchema.extend({ displayOrder: z.number().int(), hidden: z.boolean() });

const createSchema = z.object({
  name: z.string().min(1),
  label: z.string().min(1),
  type: z.string().min(1),
  fieldType: z.string().min(1),
  groupName: z.string().min(1),
  description: z.string().optional(),
  options: z.array(optionSchema).optional(),
  displayOrder: z.number().int().optional(),
  hidden: z.boolean().optional(),
  formField: z.boolean().optional(),
});

const updateSchema = z.object({
  label: z.string().min(1).optional(),
  description: z.string().optional(),
  groupName: z.string().min(1).optional(),
  fieldType: z.string().min(1).optional(),
  options: z.array(optionSchema).optional(),
  displayOrder: z.number().int().optional(),
  hidden: z.boolean().optional(),
  formField: z.boolean().optional(),
});

const strictCreateSchema = createSchema.extend({ options: z.array(strictOptionSchema).optional() });
const strictUpdateSchema = updateSchema.extend({ options: z.array(strictOptionSchema).optional() });

const groupSchema = z.object({ name: z.string().min(1), label: z.string().min(1), displayOrder: z.number().int().optional() });

export function registerPropertyRoutes(app: FastifyInstance, ctx: SandboxContext): void {
  for (const bases of apiVersionBases) registerPropertyRoutesAt(app, ctx, `${bases.properties}/:objectType`, bases.strictOptionInput);
}

function registerPropertyRoutesAt(app: FastifyInstance, ctx: SandboxContext, base: string, strictOptions: boolean): void {
  const { registry } = ctx;
  const create = strictOptions ? strictCreateSchema : createSchema;
  const update = strictOptions ? strictUpdateSchema : updateSchema;

  registerApiRoute(app, ctx, {
    method: 'GET',
    url: base,
    operation: 'properties',
    budget: 'standard',
    handle: (request) => ({ status: 200, body: { results: registry.list(objectTypeParam(request)).map(propertyToJson) } }),
  });

  registerApiRoute(app, ctx, {
    method: 'GET',
    url: `${base}/:propertyName`,
    operation: 'properties',
    budget: 'standard',
    handle: (request) => ({ status: 200, body: propertyToJson(registry.require(objectTypeParam(request), param(request, 'propertyName'))) }),
  });

  registerApiRoute(app, ctx, {
    method: 'POST',
    url: base,
    operation: 'properties.create',
    budget: 'standard',
    handle: (request) => {
      const type = objectTypeParam(request);
      return { status: 201, body: propertyToJson(registry.create(type, parseBody(create, request.body))) };
    },
  });

  registerApiRoute(app, ctx, {
    method: 'PATCH',
    url: `${base}/:propertyName`,
    operation: 'properties.update',
    budget: 'standard',
    handle: (request) => {
      const type = objectTypeParam(request);
      const updated = registry.update(type, param(request, 'propertyName'), parseBody(update, request.body));
      return { status: 200, body: propertyToJson(updated) };
    },
  });

  registerApiRoute(app, ctx, {
    method: 'GET',
    url: `${base}/groups`,
    operation: 'properties',
    budget: 'standard',
    handle: (request) => ({ status: 200, body: { results: registry.listGroups(objectTypeParam(request)) } }),
  });

  registerApiRoute(app, ctx, {
    method: 'GET',
    url: `${base}/groups/:groupName`,
    operation: 'properties',
    budget: 'standard',
    handle: (request) => {
      const name = param(request, 'groupName');
      const group = registry.getGroup(objectTypeParam(request), name);
      if (!group) throw notFoundError(`Unable to find property group ${name}`);
      return { status: 200, body: group };
    },
  });

  registerApiRoute(app, ctx, {
    method: 'POST',
    url: `${base}/groups`,
    operation: 'properties.createGroup',
    budget: 'standard',
    handle: (request) => {
      const type = objectTypeParam(request);
      return { status: 201, body: registry.createGroup(type, parseBody(groupSchema, request.body)) };
    },
  });
}
