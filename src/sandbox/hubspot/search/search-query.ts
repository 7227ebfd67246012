/**
 * The search endpoint's request body and its evaluation against the
 * (lagging) search index: filter groups (OR of ANDs), sorts, projection,
 * offset paging capped at 10,000 reachable results.
 */
import { z } from 'zod';
import { validationError } from '../api-error.js';
import type { SandboxObjectType } from '../crm/object-types.js';
import type { PropertyRegistry } from '../crm/property-registry.js';
import { recordToJson, type CrmRecordJson, type RecordView } from '../crm/record-json.js';
import { compareValues, containsToken, valuesEqual } from './compare.js';

export const searchOperators = [
  'EQ',
  'NEQ',
  'LT',
  'LTE',
  'GT',
  'GTE',
  'BETWEEN',
  'IN',
  'NOT_IN',
  'HAS_PROPERTY',
  'NOT_HAS_PROPERTY',
  'CONTAINS_TOKEN',
  'NOT_CONTAINS_TOKEN',
] as const;
export type SearchOperator = (typeof searchOperators)[number];

export const maxSearchLimit = 200;
export const maxReachableResults = 10_000;
const maxFilterGroups = 5;
const maxFiltersPerGroup = 6;
const maxFiltersTotal = 18;
const defaultLimit = 10;

const scalar = z.union([z.string(), z.number(), z.boolean()]).transform((v) => String(v));

const filterSchema = z.object({
  propertyName: z.string().min(1),
  operator: z.enum(searchOperators),
  value: scalar.optional(),
  highValue: scalar.optional(),
  values: z.array(scalar).optional(),
});

const sortSchema = z.union([
  z.string().min(1),
  z.object({ propertyName: z.string().min(1), direction: z.enum(['ASCENDING', 'DESCENDING']).default('ASCENDING') }),
]);

export const searchBodySchema = z.object({
  filterGroups: z.array(z.object({ filters: z.array(filterSchema) })).default([]),
  sorts: z.array(sortSchema).default([]),
  properties: z.array(z.string()).optional(),
  limit: z.number().int().min(0).default(defaultLimit),
  after: z.union([z.string(), z.number()]).optional(),
  query: z.string().optional(),
});

export type SearchBody = z.output<typeof searchBodySchema>;
export type SearchFilter = z.output<typeof filterSchema>;

export interface SearchResponse {
  total: number;
  results: CrmRecordJson[];
  paging?: { next: { after: string } };
}

interface Sort {
  propertyName: string;
  descending: boolean;
}

/** Text properties the free-text `query` looks at. */
const queryProperties = ['firstname', 'lastname', 'email', 'company', 'name', 'domain', 'dealname', 'phone'];

export function runSearch(registry: PropertyRegistry, type: SandboxObjectType, docs: Iterable<RecordView>, body: SearchBody): SearchResponse {
  validate(registry, type, body);
  const offset = parseAfter(body.after);
  const sorts = body.sorts.map(toSort);
  const query = body.query?.trim().toLowerCase();

  const matched: RecordView[] = [];
  for (const doc of docs) {
    if (body.filterGroups.length > 0 && !body.filterGroups.some((g) => g.filters.every((f) => matches(doc, f)))) continue;
    if (query && !queryProperties.some((p) => doc.values.get(p)?.toLowerCase().includes(query))) continue;
    matched.push(doc);
  }
  matched.sort((a, b) => compareDocs(a, b, sorts));

  const end = Math.min(offset + body.limit, maxReachableResults, matched.length);
  const results = matched.slice(offset, end).map((doc) => recordToJson(registry, type, doc, body.properties));
  const response: SearchResponse = { total: matched.length, results };
  if (end < Math.min(matched.length, maxReachableResults) && body.limit > 0) response.paging = { next: { after: String(end) } };
  return response;
}

function validate(registry: PropertyRegistry, type: SandboxObjectType, body: SearchBody): void {
  if (body.limit > maxSearchLimit) {
    throw validationError(`limit must be less than or equal to ${maxSearchLimit}, got ${body.limit}`, { context: { limit: [String(body.limit)] } });
  }
  if (body.filterGroups.length > maxFilterGroups) throw validationError(`Too many filter groups: at most ${maxFilterGroups} are allowed`);
  let total = 0;
  for (const group of body.filterGroups) {
    if (group.filters.length > maxFiltersPerGroup) throw validationError(`Too many filters in a group: at most ${maxFiltersPerGroup} are allowed`);
    total += group.filters.length;
    for (const filter of group.filters) validateFilter(registry, type, filter);
  }
  if (total > maxFiltersTotal) throw validationError(`Too many filters: at most ${maxFiltersTotal} are allowed in total`);
  for (const sort of body.sorts.map(toSort)) requireProperty(registry, type, sort.propertyName);
}

function validateFilter(registry: PropertyRegistry, type: SandboxObjectType, filter: SearchFilter): void {
  requireProperty(registry, type, filter.propertyName);
  const needs = (field: 'value' | 'highValue' | 'values'): void => {
    if (filter[field] === undefined) {
      throw validationError(`Filter on ${filter.propertyName} with operator ${filter.operator} requires "${field}"`);
    }
  };
  switch (filter.operator) {
    case 'HAS_PROPERTY':
    case 'NOT_HAS_PROPERTY':
      return;
    case 'BETWEEN':
      needs('value');
      needs('highValue');
      return;
    case 'IN':
    case 'NOT_IN':
      needs('values');
      return;
    default:
      needs('value');
  }
}

function requireProperty(registry: PropertyRegistry, type: SandboxObjectType, name: string): void {
  if (!registry.get(type, name)) {
    throw validationError(`Property "${name}" does not exist on ${type}`, { context: { propertyName: [name] } });
  }
}

function parseAfter(after: string | number | undefined): number {
  if (after === undefined || after === '') return 0;
  const offset = Number(after);
  if (!Number.isInteger(offset) || offset < 0) throw validationError(`"after" must be a paging cursor returned by a previous search, got "${after}"`);
  if (offset >= maxReachableResults) {
    throw validationError(`Search results are limited to ${maxReachableResults}; "after" ${offset} is beyond them. Narrow the filters instead.`);
  }
  return offset;
}

function matches(doc: RecordView, filter: SearchFilter): boolean {
  const actual = doc.values.get(filter.propertyName);
  const value = filter.value ?? '';
  switch (filter.operator) {
    case 'HAS_PROPERTY':
      return actual !== undefined;
    case 'NOT_HAS_PROPERTY':
      return actual === undefined;
    case 'EQ':
      return actual !== undefined && valuesEqual(actual, value);
    case 'NEQ':
      return actual === undefined || !valuesEqual(actual, value);
    case 'LT':
      return actual !== undefined && compareValues(actual, value) < 0;
    case 'LTE':
      return actual !== undefined && compareValues(actual, value) <= 0;
    case 'GT':
      return actual !== undefined && compareValues(actual, value) > 0;
    case 'GTE':
      return actual !== undefined && compareValues(actual, value) >= 0;
    case 'BETWEEN':
      return actual !== undefined && compareValues(actual, value) >= 0 && compareValues(actual, filter.highValue ?? '') <= 0;
    case 'IN':
      return actual !== undefined && (filter.values ?? []).some((v) => valuesEqual(actual, v));
    case 'NOT_IN':
      return actual === undefined || !(filter.values ?? []).some((v) => valuesEqual(actual, v));
    case 'CONTAINS_TOKEN':
      return actual !== undefined && containsToken(actual, value);
    case 'NOT_CONTAINS_TOKEN':
      return actual === undefined || !containsToken(actual, value);
  }
}

function toSort(sort: SearchBody['sorts'][number]): Sort {
  if (typeof sort === 'string') {
    return sort.startsWith('-') ? { propertyName: sort.slice(1), descending: true } : { propertyName: sort, descending: false };
  }
  return { propertyName: sort.propertyName, descending: sort.direction === 'DESCENDING' };
}

/** Records without a value sort last in either direction; ties fall back to ascending id. */
function compareDocs(a: RecordView, b: RecordView, sorts: readonly Sort[]): number {
  for (const sort of sorts) {
    const x = a.values.get(sort.propertyName);
    const y = b.values.get(sort.propertyName);
    if (x === undefined || y === undefined) {
      if (x !== y) return x === undefined ? 1 : -1;
      continue;
    }
    const order = compareValues(x, y);
    if (order !== 0) return sort.descending ? -order : order;
  }
  return Number(a.id) - Number(b.id);
}
