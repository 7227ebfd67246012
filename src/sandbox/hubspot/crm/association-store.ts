/**
 * Associations between records, stored in both directions. Listing is by
 * ascending `toObjectId`, which (as in HubSpot's v4 API) is a number.
 */
import { notFoundError, validationError } from '../api-error.js';
import { pairTypes, type AssociationType, type PairTypes } from './association-types.js';
import type { SandboxObjectType } from './object-types.js';
import type { RecordStore } from './record-store.js';

export interface AssociatedRecord {
  toObjectId: number;
  associationTypes: AssociationType[];
}

export interface AssociateOptions {
  /** Mark as the primary association of the `from` record (one per record and target type). */
  primary?: boolean;
}

export interface AssociationSpecInput {
  associationCategory: string;
  associationTypeId: number;
}

interface Link {
  primary: boolean;
}

export class AssociationStore {
  /** `${fromType}:${fromId}` -> toType -> toId -> link. */
  private readonly links = new Map<string, Map<SandboxObjectType, Map<string, Link>>>();

  constructor(private readonly records: RecordStore) {}

  associate(fromType: SandboxObjectType, fromId: string, toType: SandboxObjectType, toId: string, opts: AssociateOptions = {}): void {
    this.requirePair(fromType, toType);
    this.requirePair(toType, fromType);
    if (!this.records.get(fromType, fromId)) throw notFoundError(`No ${fromType} with id ${fromId}`);
    if (!this.records.get(toType, toId)) throw notFoundError(`No ${toType} with id ${toId}`);
    const primary = opts.primary ?? false;
    if (primary) this.clearPrimary(fromType, fromId, toType);
    this.link(fromType, fromId, toType, toId, primary);
    const reverse = this.targets(toType, toId, fromType).get(fromId);
    this.link(toType, toId, fromType, fromId, reverse?.primary ?? false);
  }

  /** The labelled form (`PUT .../associations/{toType}/{toId}` with a body of type specs). */
  associateWithSpecs(fromType: SandboxObjectType, fromId: string, toType: SandboxObjectType, toId: string, specs: readonly AssociationSpecInput[]): void {
    const types = this.requirePair(fromType, toType);
    let primary = false;
    for (const spec of specs) {
      if (matches(types.primary, spec)) primary = true;
      else if (!matches(types.unlabeled, spec)) {
        throw validationError(`association type ${spec.associationCategory}/${spec.associationTypeId} is not valid between ${fromType} and ${toType}`);
      }
    }
    this.associate(fromType, fromId, toType, toId, { primary });
  }

  list(fromType: SandboxObjectType, fromId: string, toType: SandboxObjectType): AssociatedRecord[] {
    const types = pairTypes(fromType, toType);
    if (!types) return [];
    const result: AssociatedRecord[] = [];
    for (const [toId, link] of this.targets(fromType, fromId, toType)) {
      result.push({ toObjectId: Number(toId), associationTypes: link.primary ? [types.unlabeled, types.primary] : [types.unlabeled] });
    }
    return result.sort((a, b) => a.toObjectId - b.toObjectId);
  }

  requirePair(fromType: SandboxObjectType, toType: SandboxObjectType): PairTypes {
    const types = pairTypes(fromType, toType);
    if (!types) throw validationError(`Associations from ${fromType} to ${toType} are not supported by the sandbox`);
    return types;
  }

  private clearPrimary(fromType: SandboxObjectType, fromId: string, toType: SandboxObjectType): void {
    for (const link of this.targets(fromType, fromId, toType).values()) link.primary = false;
  }

  private link(fromType: SandboxObjectType, fromId: string, toType: SandboxObjectType, toId: string, primary: boolean): void {
    const key = `${fromType}:${fromId}`;
    let byType = this.links.get(key);
    if (!byType) {
      byType = new Map();
      this.links.set(key, byType);
    }
    let targets = byType.get(toType);
    if (!targets) {
      targets = new Map();
      byType.set(toType, targets);
    }
    targets.set(toId, { primary });
  }

  private targets(fromType: SandboxObjectType, fromId: string, toType: SandboxObjectType): ReadonlyMap<string, Link> {
    return this.links.get(`${fromType}:${fromId}`)?.get(toType) ?? new Map<string, Link>();
  }
}

function matches(type: AssociationType, spec: AssociationSpecInput): boolean {
  return type.category === spec.associationCategory && type.typeId === spec.associationTypeId;
}
