/** Reading path parameters and query strings the way HubSpot does. */
import type { FastifyRequest } from 'fastify';
import { validationError } from '../api-error.js';
import { parseObjectType, type SandboxObjectType } from '../crm/object-types.js';

export function param(request: FastifyRequest, name: string): string {
  const value = (request.params as Record<string, string | undefined>)[name];
  if (value === undefined) throw new Error(`route has no :${name} parameter`);
  return value;
}

export function objectTypeParam(request: FastifyRequest, name = 'objectType'): SandboxObjectType {
  const raw = param(request, name);
  const type = parseObjectType(raw);
  if (!type) throw validationError(`Unable to infer object type from: ${raw}`);
  return type;
}

function queryValue(request: FastifyRequest, name: string): string | string[] | undefined {
  return (request.query as Record<string, string | string[] | undefined>)[name];
}

/** `?properties=a,b` and `?properties=a&properties=b` both work; undefined when absent. */
export function propertiesQuery(request: FastifyRequest): string[] | undefined {
  const raw = queryValue(request, 'properties');
  if (raw === undefined) return undefined;
  const parts = (Array.isArray(raw) ? raw : [raw]).flatMap((v) => v.split(','));
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

export function intQuery(request: FastifyRequest, name: string, fallback: number, max: number): number {
  const raw = queryValue(request, name);
  if (raw === undefined) return fallback;
  const value = Number(Array.isArray(raw) ? raw[0] : raw);
  if (!Number.isInteger(value) || value < 0) throw validationError(`"${name}" must be a non-negative integer`);
  if (value > max) throw validationError(`"${name}" must be at most ${max}`);
  return value;
}

/** Offset cursors: `after` is the index of the next item. */
export function afterQuery(request: FastifyRequest): number {
  const raw = queryValue(request, 'after');
  if (raw === undefined || raw === '') return 0;
  const value = Number(Array.isArray(raw) ? raw[0] : raw);
  if (!Number.isInteger(value) || value < 0) throw validationError(`"after" must be a cursor from a previous page`);
  return value;
}
