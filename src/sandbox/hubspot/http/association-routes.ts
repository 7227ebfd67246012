/** Associations (v4 and 2026-03): list one record's associations, batch read, and create (default or labelled). */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { validationError } from '../api-error.js';
import { registerApiRoute } from './api-route.js';
import { apiVersionBases, type VersionedBases } from './api-versions.js';
import { batchResult, type BatchRowError } from './batch-result.js';
import type { SandboxContext } from './context.js';
import { parseBody } from './parse-body.js';
import { afterQuery, intQuery, objectTypeParam, param } from './request-parts.js';
import type { AssociatedRecord } from '../crm/association-store.js';
import type { SandboxObjectType } from '../crm/object-types.js';
import { objectTypeIds } from '../webhooks/subscriptions.js';

const maxPageSize = 500;
const maxBatchReadInputs = 1000;

const batchReadSchema = z.object({
  inputs: z.array(z.object({ id: z.union([z.string().min(1), z.number().int()]).transform(String) })),
});
const specsSchema = z.array(z.object({ associationCategory: z.string(), associationTypeId: z.number().int() })).min(1);

export function registerAssociationRoutes(app: FastifyInstance, ctx: SandboxContext): void {
  for (const bases of apiVersionBases) registerAssociationRoutesAt(app, ctx, bases);
}

/** Path parameters are named as the object routes name them: 2026-03 shares `/crm/objects/2026-03/:objectType/:objectId`. */
function registerAssociationRoutesAt(app: FastifyInstance, ctx: SandboxContext, bases: VersionedBases): void {
  const { associations } = ctx;
  const wireId = (a: AssociatedRecord) => (bases.toObjectIdAsString ? { ...a, toObjectId: String(a.toObjectId) } : a);

  registerApiRoute(app, ctx, {
    method: 'GET',
    url: `${bases.objectAssociations}/:objectType/:objectId/associations/:toType`,
    operation: 'associations',
    budget: 'standard',
    handle: (request) => {
      const fromType = objectTypeParam(request);
      const toType = objectTypeParam(request, 'toType');
      const limit = intQuery(request, 'limit', maxPageSize, maxPageSize);
      const offset = afterQuery(request);
      const all = associations.list(fromType, param(request, 'objectId'), toType);
      const results = all.slice(offset, offset + limit).map(wireId);
      const end = offset + results.length;
      return { status: 200, body: { results, ...(end < all.length ? { paging: { next: { after: String(end) } } } : {}) } };
    },
  });

  registerApiRoute(app, ctx, {
    method: 'POST',
    url: `${bases.associations}/:fromType/:toType/batch/read`,
    operation: 'associations.batchRead',
    budget: 'standard',
    handle: (request) => {
      const startedAt = ctx.clock.now();
      const fromType = objectTypeParam(request, 'fromType');
      const toType = objectTypeParam(request, 'toType');
      associations.requirePair(fromType, toType);
      const body = parseBody(batchReadSchema, request.body);
      if (body.inputs.length > maxBatchReadInputs) {
        throw validationError(`Too many inputs: ${body.inputs.length}. Association batch reads accept at most ${maxBatchReadInputs}.`);
      }
      const results: Array<{ from: { id: string }; to: Array<ReturnType<typeof wireId>> }> = [];
      const errors: BatchRowError[] = [];
      for (const id of new Set(body.inputs.map((i) => i.id))) {
        const to = associations.list(fromType, id, toType);
        if (to.length > 0) results.push({ from: { id }, to: to.map(wireId) });
        else errors.push(noAssociations(fromType, toType, id));
      }
      return batchResult(results, errors, startedAt, ctx.clock.now(), ctx.random);
    },
  });

  registerApiRoute(app, ctx, {
    method: 'PUT',
    url: `${bases.objectAssociations}/:objectType/:objectId/associations/default/:toType/:toId`,
    operation: 'associations.create',
    budget: 'standard',
    write: true,
    handle: (request) => {
      const startedAt = ctx.clock.now();
      const fromType = objectTypeParam(request);
      const toType = objectTypeParam(request, 'toType');
      const fromId = param(request, 'objectId');
      const toId = param(request, 'toId');
      associations.associate(fromType, fromId, toType, toId);
      const spec = (from: SandboxObjectType, to: SandboxObjectType) => {
        const t = associations.requirePair(from, to).unlabeled;
        return { associationCategory: t.category, associationTypeId: t.typeId };
      };
      const results = [
        { from: { id: fromId }, to: { id: toId }, associationSpec: spec(fromType, toType) },
        { from: { id: toId }, to: { id: fromId }, associationSpec: spec(toType, fromType) },
      ];
      return batchResult(results, [], startedAt, ctx.clock.now(), ctx.random);
    },
  });

  registerApiRoute(app, ctx, {
    method: 'PUT',
    url: `${bases.objectAssociations}/:objectType/:objectId/associations/:toType/:toId`,
    operation: 'associations.create',
    budget: 'standard',
    write: true,
    handle: (request) => {
      const fromType = objectTypeParam(request);
      const toType = objectTypeParam(request, 'toType');
      const fromId = param(request, 'objectId');
      const toId = param(request, 'toId');
      associations.associateWithSpecs(fromType, fromId, toType, toId, parseBody(specsSchema, request.body));
      const link = associations.list(fromType, fromId, toType).find((a) => String(a.toObjectId) === toId);
      const labels = (link?.associationTypes ?? []).flatMap((t) => (t.label === null ? [] : [t.label]));
      return {
        status: 201,
        body: { fromObjectTypeId: objectTypeIds[fromType], fromObjectId: Number(fromId), toObjectTypeId: objectTypeIds[toType], toObjectId: Number(toId), labels },
      };
    },
  });
}

function noAssociations(fromType: SandboxObjectType, toType: SandboxObjectType, id: string): BatchRowError {
  return {
    status: 'error',
    category: 'OBJECT_NOT_FOUND',
    subCategory: 'crm.associations.NO_ASSOCIATIONS_FOUND',
    message: `No ${toType} is associated with ${fromType} ${id}.`,
    context: { fromObjectId: [id] },
  };
}
