/**
 * CRM notes (engagements on a record's timeline): created with their
 * HUBSPOT_DEFINED associations in one call (note→contact 202, →company 190,
 * →deal 214, →ticket 228), read by id, and searched through an index that
 * trails writes like the records' search index. Kept apart from the record
 * store: notes are no object Reelay triggers on or writes properties to.
 */
import type { Clock } from '../../../core/clock.js';
import { noteAssociationTypeId, objectTypes, type ObjectType } from '../../../core/object-types.js';
import { notFoundError, validationError } from '../api-error.js';
import type { RecordStore } from './record-store.js';

export interface SandboxNote {
  id: string;
  properties: Record<string, string>;
  /** The records the note is associated with. */
  associations: { objectType: ObjectType; objectId: string }[];
  createdAt: number;
}

export interface NoteAssociationInput {
  to: { id: string };
  types: { associationCategory: string; associationTypeId: number }[];
}

export class NoteStore {
  private readonly notes = new Map<string, SandboxNote>();
  private nextId = 70_001;

  constructor(
    private readonly records: RecordStore,
    private readonly clock: Clock,
    private readonly searchLagMs: () => number,
  ) {}

  create(properties: Record<string, unknown>, associations: readonly NoteAssociationInput[]): SandboxNote {
    const values: Record<string, string> = {};
    for (const [name, value] of Object.entries(properties)) {
      if (value === null || value === undefined) continue;
      if (typeof value === 'object') throw validationError(`Property values were not valid: ${name} must be a string, number or boolean`);
      values[name] = String(value);
    }
    if (values.hs_timestamp === undefined) throw validationError('Property values were not valid: hs_timestamp is required for notes');
    const links = associations.map((a) => this.resolve(a));
    const now = this.clock.now();
    const id = String(this.nextId++);
    const note: SandboxNote = {
      id,
      properties: { ...values, hs_object_id: id, hs_createdate: new Date(now).toISOString(), hs_lastmodifieddate: new Date(now).toISOString() },
      associations: links,
      createdAt: now,
    };
    this.notes.set(id, note);
    return note;
  }

  get(id: string): SandboxNote | undefined {
    return this.notes.get(id);
  }

  all(): SandboxNote[] {
    return [...this.notes.values()];
  }

  /** Notes associated with a record. */
  on(objectType: ObjectType, objectId: string): SandboxNote[] {
    return this.all().filter((n) => n.associations.some((a) => a.objectType === objectType && a.objectId === objectId));
  }

  /** What search sees: notes older than the search lag. */
  searchable(): SandboxNote[] {
    const horizon = this.clock.now() - this.searchLagMs();
    return this.all().filter((n) => n.createdAt <= horizon);
  }

  private resolve(input: NoteAssociationInput): { objectType: ObjectType; objectId: string } {
    const [spec, ...more] = input.types;
    if (!spec || more.length > 0) throw validationError('The sandbox takes exactly one association type per note association');
    const objectType = objectTypes.find((t) => noteAssociationTypeId(t) === spec.associationTypeId);
    if (spec.associationCategory !== 'HUBSPOT_DEFINED' || objectType === undefined) {
      throw validationError(`association type ${spec.associationCategory}/${spec.associationTypeId} is not valid from notes`);
    }
    const objectId = String(input.to.id);
    if (!this.records.get(objectType, objectId)) throw notFoundError(`No ${objectType} with id ${objectId}`);
    return { objectType, objectId };
  }
}
