/**
 * The in-memory CRM: records per object type in Maps, with the same
 * validation the API applies. Every applied write is announced to listeners
 * (the search index and the webhook subscriptions).
 */
import type { Clock } from '../../../core/clock.js';
import { conflictError, notFoundError, validationError } from '../api-error.js';
import { modifiedDateProperty, sandboxObjectTypes, type SandboxObjectType } from './object-types.js';
import type { PropertyRegistry } from './property-registry.js';
import { propertyProblemsError, validateWrite, type NormalisedValues, type PropertyProblem } from './property-values.js';
import type { RecordView } from './record-json.js';

export interface StoredRecord extends RecordView {
  readonly type: SandboxObjectType;
  readonly values: Map<string, string>;
  createdAt: number;
  updatedAt: number;
}

export interface PropertyChange {
  name: string;
  value: string | null;
  previous: string | null;
}

export interface RecordWrite {
  type: SandboxObjectType;
  record: StoredRecord;
  kind: 'creation' | 'update';
  /** Properties whose value changed (system properties excluded). */
  changes: PropertyChange[];
  /** HubSpot's `changeSource`: `API` for HTTP writes, `CRM_UI`, `IMPORT`, ... */
  changeSource: string;
  at: number;
}

export type WriteListener = (write: RecordWrite) => void;

export interface WriteOptions {
  changeSource?: string;
}

export interface CreateInput {
  properties: Record<string, unknown>;
  /** Only for seeding: keep a known id. */
  id?: string;
}

export type UpdateCheck =
  | { ok: true; record: StoredRecord; values: NormalisedValues }
  | { ok: false; reason: 'not_found' }
  | { ok: false; reason: 'invalid'; problems: PropertyProblem[] };

const defaultChangeSource = 'CRM_UI';

export class RecordStore {
  private readonly records = new Map<SandboxObjectType, Map<string, StoredRecord>>();
  private readonly listeners: WriteListener[] = [];
  private readonly writes = new Map<string, number>();
  private nextId = 1001;

  constructor(
    private readonly registry: PropertyRegistry,
    private readonly clock: Clock,
    private readonly portalId: number,
  ) {
    for (const type of sandboxObjectTypes) this.records.set(type, new Map());
  }

  onWrite(listener: WriteListener): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  get(type: SandboxObjectType, id: string): StoredRecord | undefined {
    return this.map(type).get(id);
  }

  require(type: SandboxObjectType, id: string): StoredRecord {
    const record = this.get(type, id);
    if (!record) throw notFoundError();
    return record;
  }

  all(type: SandboxObjectType): IterableIterator<StoredRecord> {
    return this.map(type).values();
  }

  count(type: SandboxObjectType): number {
    return this.map(type).size;
  }

  create(type: SandboxObjectType, input: CreateInput, opts: WriteOptions = {}): StoredRecord {
    const [record] = this.createMany(type, [input], opts);
    if (!record) throw new Error('createMany returned no record');
    return record;
  }

  /** All or nothing: one invalid input fails the whole call, like HubSpot's batch create. */
  createMany(type: SandboxObjectType, inputs: readonly CreateInput[], opts: WriteOptions = {}): StoredRecord[] {
    const validated = inputs.map((input, index) => {
      const { values, problems } = validateWrite(this.registry, type, input.properties);
      if (problems.length > 0) throw propertyProblemsError(problems, this.portalId);
      if (input.id !== undefined) this.checkSeedId(type, input.id, index);
      return { id: input.id, values };
    });
    const seen = new Set<string>();
    for (const v of validated) {
      if (v.id === undefined) continue;
      if (seen.has(v.id)) throw validationError(`Duplicate IDs found in batch input: [${v.id}]`);
      seen.add(v.id);
    }
    return validated.map((v) => this.insert(type, v.id ?? this.allocateId(), v.values, opts.changeSource ?? defaultChangeSource));
  }

  update(type: SandboxObjectType, id: string, properties: Record<string, unknown>, opts: WriteOptions = {}): StoredRecord {
    const check = this.checkUpdate(type, id, properties);
    if (!check.ok) {
      if (check.reason === 'not_found') throw notFoundError();
      throw propertyProblemsError(check.problems, this.portalId);
    }
    return this.applyUpdate(check.record, check.values, opts);
  }

  /** Validates one update without applying it, so a batch can decide row by row. */
  checkUpdate(type: SandboxObjectType, id: string, properties: Record<string, unknown>): UpdateCheck {
    const record = this.get(type, id);
    if (!record) return { ok: false, reason: 'not_found' };
    const { values, problems } = validateWrite(this.registry, type, properties);
    if (problems.length > 0) return { ok: false, reason: 'invalid', problems };
    return { ok: true, record, values };
  }

  applyUpdate(record: StoredRecord, values: NormalisedValues, opts: WriteOptions = {}): StoredRecord {
    const at = this.clock.now();
    const changes: PropertyChange[] = [];
    for (const [name, value] of values) {
      const previous = record.values.get(name) ?? null;
      if (previous === value) continue;
      if (value === null) record.values.delete(name);
      else record.values.set(name, value);
      changes.push({ name, value, previous });
    }
    this.countWrite(record);
    if (changes.length > 0) {
      record.updatedAt = at;
      record.values.set(modifiedDateProperty(record.type), new Date(at).toISOString());
      this.announce({ type: record.type, record, kind: 'update', changes, changeSource: opts.changeSource ?? defaultChangeSource, at });
    }
    return record;
  }

  /** Writes per record (`contacts/1001` -> 3), counting every accepted write even if nothing changed. */
  writeCounts(): ReadonlyMap<string, number> {
    return this.writes;
  }

  resetWriteCounts(): void {
    this.writes.clear();
  }

  private insert(type: SandboxObjectType, id: string, values: NormalisedValues, changeSource: string): StoredRecord {
    const at = this.clock.now();
    const record: StoredRecord = { id, type, values: new Map(), createdAt: at, updatedAt: at };
    const changes: PropertyChange[] = [];
    for (const [name, value] of values) {
      if (value === null) continue;
      record.values.set(name, value);
      changes.push({ name, value, previous: null });
    }
    const created = record.values.get('createdate');
    if (created !== undefined) record.createdAt = Date.parse(created);
    else record.values.set('createdate', new Date(at).toISOString());
    record.values.set('hs_object_id', id);
    this.nextId = Math.max(this.nextId, Number(id) + 1);
    record.values.set(modifiedDateProperty(type), new Date(at).toISOString());
    this.map(type).set(id, record);
    this.countWrite(record);
    this.announce({ type, record, kind: 'creation', changes, changeSource, at });
    return record;
  }

  private checkSeedId(type: SandboxObjectType, id: string, index: number): void {
    if (!/^[1-9]\d{0,15}$/.test(id)) throw validationError(`inputs[${index}].id must be a positive integer string, got "${id}"`);
    if (this.map(type).has(id)) throw conflictError(`A ${type} record with id ${id} already exists.`, { id: [id] });
  }

  private allocateId(): string {
    return String(this.nextId++);
  }

  private countWrite(record: StoredRecord): void {
    const key = `${record.type}/${record.id}`;
    this.writes.set(key, (this.writes.get(key) ?? 0) + 1);
  }

  private announce(write: RecordWrite): void {
    for (const listener of this.listeners) listener(write);
  }

  private map(type: SandboxObjectType): Map<string, StoredRecord> {
    const map = this.records.get(type);
    if (!map) throw new Error(`no record map for ${type}`);
    return map;
  }
}
