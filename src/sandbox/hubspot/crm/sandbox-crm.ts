/**
 * In-process access to the sandbox's CRM, for tests, the demo and seeding.
 * Goes through the same validation as the API and raises the same
 * subscription events, but consumes no rate limit.
 */
import { notFoundError } from '../api-error.js';
import type { AssociateOptions, AssociatedRecord, AssociationStore } from './association-store.js';
import type { SandboxObjectType } from './object-types.js';
import type { PropertyRegistry } from './property-registry.js';
import { propertyProblemsError } from './property-values.js';
import type { CreateInput, RecordStore, StoredRecord, WriteOptions } from './record-store.js';

/** A snapshot of a record with every property that has a value. */
export interface SandboxRecord {
  id: string;
  properties: Record<string, string>;
  createdAt: number;
  updatedAt: number;
}

export interface RecordUpdate {
  id: string;
  properties: Record<string, unknown>;
}

export interface SandboxCrm {
  /** Property definitions and groups (create, read, update), validated like the API. */
  readonly properties: PropertyRegistry;
  /** Default change source `CRM_UI`. */
  create(type: SandboxObjectType, properties: Record<string, unknown>, opts?: WriteOptions & { id?: string }): SandboxRecord;
  /** All or nothing. Rows may carry an `id` to keep (seeding). */
  createMany(type: SandboxObjectType, rows: readonly CreateInput[], opts?: WriteOptions): SandboxRecord[];
  get(type: SandboxObjectType, id: string): SandboxRecord | undefined;
  /**
   * One property of a record and when the record last changed, without
   * copying the record: for a poll over many records (the benchmarks watch
   * 100k contacts, and a copy of each per poll kept their process in GC).
   */
  property(type: SandboxObjectType, id: string, name: string): { value: string | undefined; updatedAt: number } | undefined;
  list(type: SandboxObjectType): SandboxRecord[];
  count(type: SandboxObjectType): number;
  update(type: SandboxObjectType, id: string, properties: Record<string, unknown>, opts?: WriteOptions): SandboxRecord;
  /**
   * A bulk change like an import (default change source `IMPORT`): every
   * row is validated first, then all are applied, raising one subscription
   * event per changed, subscribed property.
   */
  updateMany(type: SandboxObjectType, updates: readonly RecordUpdate[], opts?: WriteOptions): SandboxRecord[];
  associate(fromType: SandboxObjectType, fromId: string, toType: SandboxObjectType, toId: string, opts?: AssociateOptions): void;
  associations(fromType: SandboxObjectType, fromId: string, toType: SandboxObjectType): AssociatedRecord[];
}

export function createSandboxCrm(records: RecordStore, associations: AssociationStore, registry: PropertyRegistry, portalId: number): SandboxCrm {
  return {
    properties: registry,
    create: (type, properties, opts = {}) => {
      const { id, ...writeOpts } = opts;
      return snapshot(records.create(type, { properties, ...(id === undefined ? {} : { id }) }, writeOpts));
    },
    createMany: (type, rows, opts) => records.createMany(type, rows, opts).map(snapshot),
    get: (type, id) => {
      const record = records.get(type, id);
      return record ? snapshot(record) : undefined;
    },
    property: (type, id, name) => {
      const record = records.get(type, id);
      return record ? { value: record.values.get(name), updatedAt: record.updatedAt } : undefined;
    },
    list: (type) => [...records.all(type)].map(snapshot),
    count: (type) => records.count(type),
    update: (type, id, properties, opts) => snapshot(records.update(type, id, properties, opts)),
    updateMany: (type, updates, opts = {}) => {
      const checked = updates.map((u) => {
        const check = records.checkUpdate(type, u.id, u.properties);
        if (check.ok) return check;
        if (check.reason === 'not_found') throw notFoundError(`No ${type} with id ${u.id}`);
        throw propertyProblemsError(check.problems, portalId);
      });
      const changeSource = opts.changeSource ?? 'IMPORT';
      return checked.map((c) => snapshot(records.applyUpdate(c.record, c.values, { changeSource })));
    },
    associate: (fromType, fromId, toType, toId, opts) => associations.associate(fromType, fromId, toType, toId, opts),
    associations: (fromType, fromId, toType) => associations.list(fromType, fromId, toType),
  };
}

function snapshot(record: StoredRecord): SandboxRecord {
  return { id: record.id, properties: Object.fromEntries(record.values), createdAt: record.createdAt, updatedAt: record.updatedAt };
}
