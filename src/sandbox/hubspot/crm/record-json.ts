/** The JSON shape of a CRM record in API answers, with HubSpot's property selection rules. */
import { modifiedDateProperty, type SandboxObjectType } from './object-types.js';
import type { PropertyRegistry } from './property-registry.js';

/** A record's state, live in the store or as a search-index snapshot. */
export interface RecordView {
  readonly id: string;
  readonly values: ReadonlyMap<string, string>;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface CrmRecordJson {
  id: string;
  properties: Record<string, string | null>;
  createdAt: string;
  updatedAt: string;
  archived: false;
}

/**
 * `names` undefined means "the type's default properties". Named properties
 * that are not defined are silently left out, as HubSpot does; defined ones
 * without a value come back as null. hs_object_id, createdate and the
 * last-modified date are always included.
 */
export function recordToJson(
  registry: PropertyRegistry,
  type: SandboxObjectType,
  record: RecordView,
  names: readonly string[] | undefined,
): CrmRecordJson {
  const selected = names === undefined ? registry.defaultReadNames(type) : [...names, ...alwaysReturned(type)];
  const properties: Record<string, string | null> = {};
  for (const name of selected) {
    if (name in properties || !registry.get(type, name)) continue;
    properties[name] = record.values.get(name) ?? null;
  }
  return {
    id: record.id,
    properties,
    createdAt: new Date(record.createdAt).toISOString(),
    updatedAt: new Date(record.updatedAt).toISOString(),
    archived: false,
  };
}

export function alwaysReturned(type: SandboxObjectType): string[] {
  return ['hs_object_id', 'createdate', modifiedDateProperty(type)];
}
