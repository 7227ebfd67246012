/** CRM object endpoints (v3 and 2026-03): read, list, create, update, one at a time and in batches of 100. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { validationError } from '../api-error.js';
import { objectTypeLabel } from '../crm/object-types.js';
import { propertyProblemsError } from '../crm/property-values.js';
import { recordToJson, type CrmRecordJson } from '../crm/record-json.js';
import { registerApiRoute, type ApiResult } from './api-route.js';
import { batchResult, maxBatchInputs, rowError, type BatchRowError } from './batch-result.js';
import type { SandboxContext } from './context.js';
import { parseBody } from './parse-body.js';
import { apiVersionBases } from './api-versions.js';
import { afterQuery, intQuery, objectTypeParam, param, propertiesQuery } from './request-parts.js';

/** HTTP writes show up in subscription events with this change source. */
const apiChangeSource = 'INTEGRATION';
const maxListLimit = 100;

const recordId = z.union([z.string().min(1), z.number().int().nonnegative()]).transform(String);
const propertyValues = z.record(z.string(), z.unknown());

const writeSchema = z.object({ properties: propertyValues, associations: z.array(z.unknown()).optional() });
const batchReadSchema = z.object({
  inputs: z.array(z.object({ id: recordId })),
  properties: z.array(z.string()).optional(),
  idProperty: z.string().optional(),
});
const batchCreateSchema = z.object({ inputs: z.array(writeSchema) });
const batchUpdateSchema = z.object({ inputs: z.array(z.object({ id: recordId, properties: propertyValues })) });

export function registerObjectRoutes(app: FastifyInstance, ctx: SandboxContext): void {
  for (const bases of apiVersionBases) registerObjectRoutesAt(app, ctx, `${bases.objects}/:objectType`);
}

function registerObjectRoutesAt(app: FastifyInstance, ctx: SandboxContext, base: string): void {
  const { records, registry } = ctx;

  registerApiRoute(app, ctx, {
    method: 'GET',
    url: `${base}/:objectId`,
    operation: 'objects.get',
    budget: 'standard',
    handle: (request) => {
      const type = objectTypeParam(request);
      const record = records.require(type, param(request, 'objectId'));
      return { status: 200, body: recordToJson(registry, type, record, propertiesQuery(request)) };
    },
  });

  registerApiRoute(app, ctx, {
    method: 'GET',
    url: base,
    operation: 'objects.list',
    budget: 'standard',
    handle: (request) => {
      const type = objectTypeParam(request);
      const limit = intQuery(request, 'limit', 10, maxListLimit);
      const offset = afterQuery(request);
      const names = propertiesQuery(request);
      const results: CrmRecordJson[] = [];
      let index = 0;
      for (const record of records.all(type)) {
        if (index >= offset + limit) break;
        if (index >= offset) results.push(recordToJson(registry, type, record, names));
        index++;
      }
      const end = offset + results.length;
      const more = end < records.count(type);
      return { status: 200, body: { results, ...(more ? { paging: { next: { after: String(end) } } } : {}) } };
    },
  });

  registerApiRoute(app, ctx, {
    method: 'POST',
    url: base,
    operation: 'objects.create',
    budget: 'standard',
    write: true,
    handle: (request) => {
      const type = objectTypeParam(request);
      const body = parseBody(writeSchema, request.body);
      rejectInlineAssociations(body.associations);
      const record = records.create(type, { properties: body.properties }, { changeSource: apiChangeSource });
      return { status: 201, body: recordToJson(registry, type, record, [...record.values.keys()]) };
    },
  });

  registerApiRoute(app, ctx, {
    method: 'PATCH',
    url: `${base}/:objectId`,
    operation: 'objects.patch',
    budget: 'standard',
    write: true,
    handle: (request) => {
      const type = objectTypeParam(request);
      const body = parseBody(writeSchema, request.body);
      const record = records.update(type, param(request, 'objectId'), body.properties, { changeSource: apiChangeSource });
      return { status: 200, body: recordToJson(registry, type, record, Object.keys(body.properties)) };
    },
  });

  registerApiRoute(app, ctx, {
    method: 'POST',
    url: `${base}/batch/read`,
    operation: 'objects.batchRead',
    budget: 'standard',
    handle: (request): ApiResult => {
      const startedAt = ctx.clock.now();
      const type = objectTypeParam(request);
      const body = parseBody(batchReadSchema, request.body);
      checkBatchSize(body.inputs.length);
      if (body.idProperty !== undefined && body.idProperty !== 'hs_object_id') {
        throw validationError(`idProperty "${body.idProperty}" is not supported by the sandbox; read by record id`);
      }
      const ids = [...new Set(body.inputs.map((i) => i.id))];
      const results: CrmRecordJson[] = [];
      const missing: string[] = [];
      for (const id of ids) {
        const record = records.get(type, id);
        if (record) results.push(recordToJson(registry, type, record, body.properties ?? registry.defaultReadNames(type)));
        else missing.push(id);
      }
      const errors = missing.length > 0 ? [notFoundRows(objectTypeLabel(type), missing)] : [];
      return batchResult(results, errors, startedAt, ctx.clock.now(), ctx.random);
    },
  });

  registerApiRoute(app, ctx, {
    method: 'POST',
    url: `${base}/batch/create`,
    operation: 'objects.batchCreate',
    budget: 'standard',
    write: true,
    handle: (request) => {
      const startedAt = ctx.clock.now();
      const type = objectTypeParam(request);
      const body = parseBody(batchCreateSchema, request.body);
      checkBatchSize(body.inputs.length);
      for (const input of body.inputs) rejectInlineAssociations(input.associations);
      const created = records.createMany(
        type,
        body.inputs.map((i) => ({ properties: i.properties })),
        { changeSource: apiChangeSource },
      );
      const results = created.map((r) => recordToJson(registry, type, r, [...r.values.keys()]));
      return batchResult(results, [], startedAt, ctx.clock.now(), ctx.random, 201);
    },
  });

  registerApiRoute(app, ctx, {
    method: 'POST',
    url: `${base}/batch/update`,
    operation: 'objects.batchUpdate',
    budget: 'standard',
    write: true,
    handle: (request) => {
      const startedAt = ctx.clock.now();
      const type = objectTypeParam(request);
      const body = parseBody(batchUpdateSchema, request.body);
      checkBatchSize(body.inputs.length);
      rejectDuplicateIds(body.inputs.map((i) => i.id));
      const results: CrmRecordJson[] = [];
      const errors: BatchRowError[] = [];
      const missing: string[] = [];
      for (const input of body.inputs) {
        const check = records.checkUpdate(type, input.id, input.properties);
        if (!check.ok) {
          if (check.reason === 'not_found') missing.push(input.id);
          else errors.push(rowError(propertyProblemsError(check.problems, ctx.portalId), input.id));
          continue;
        }
        if (ctx.faults.strikes('partialFailureRate', 'objects.batchUpdate')) {
          ctx.stats.fault('lockedRows');
          errors.push(lockedRow(objectTypeLabel(type), input.id));
          continue;
        }
        const record = records.applyUpdate(check.record, check.values, { changeSource: apiChangeSource });
        results.push(recordToJson(registry, type, record, Object.keys(input.properties)));
      }
      if (missing.length > 0) errors.unshift(notFoundRows(objectTypeLabel(type), missing));
      return batchResult(results, errors, startedAt, ctx.clock.now(), ctx.random);
    },
  });
}

function checkBatchSize(n: number): void {
  if (n > maxBatchInputs) {
    throw validationError(`Too many inputs: ${n}. A batch request accepts at most ${maxBatchInputs} inputs.`, {
      context: { inputs: [String(n)] },
    });
  }
}

function rejectDuplicateIds(ids: readonly string[]): void {
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) duplicates.add(id);
    seen.add(id);
  }
  if (duplicates.size > 0) throw validationError(`Duplicate IDs found in batch input: [${[...duplicates].join(', ')}]. IDs must be unique`);
}

function rejectInlineAssociations(associations: unknown[] | undefined): void {
  if (associations !== undefined && associations.length > 0) {
    throw validationError('The sandbox does not create associations inline; use PUT /crm/v4/objects/{fromType}/{fromId}/associations/default/{toType}/{toId}');
  }
}

function notFoundRows(label: string, ids: string[]): BatchRowError {
  return {
    status: 'error',
    category: 'OBJECT_NOT_FOUND',
    message: `Could not get some ${label} objects, they may be deleted or not exist. Check that ids are valid.`,
    context: { ids },
  };
}

/** The injected partial failure: HubSpot's 423 "locked" condition, reported per row. Retryable. */
function lockedRow(label: string, id: string): BatchRowError {
  return {
    status: 'error',
    category: 'LOCKED',
    subCategory: 'RECORD_LOCKED',
    message: `The ${label} object ${id} is locked by another update in progress; retry later.`,
    context: { ids: [id] },
  };
}
