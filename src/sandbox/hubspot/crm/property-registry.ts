/**
 * Property definitions and groups per object type: the schema the record
 * store validates writes against, and what the properties API serves.
 */
import type { Clock } from '../../../core/clock.js';
import { conflictError, notFoundError, validationError } from '../api-error.js';
import { defaultGroups, propertyCatalog, type CatalogEntry } from './property-catalog.js';
import { sandboxObjectTypes, type SandboxObjectType } from './object-types.js';
import {
  allowedFieldTypes,
  fieldTypes,
  propertyTypes,
  type FieldType,
  type PropertyDefinition,
  type PropertyGroup,
  type PropertyOption,
  type PropertyType,
} from './property-types.js';

export interface PropertyOptionInput {
  label: string;
  value: string;
  displayOrder?: number;
  hidden?: boolean;
}

export interface PropertyCreateInput {
  name: string;
  label: string;
  type: string;
  fieldType: string;
  groupName: string;
  description?: string;
  options?: PropertyOptionInput[];
  displayOrder?: number;
  hidden?: boolean;
}

export interface PropertyUpdateInput {
  label?: string;
  description?: string;
  groupName?: string;
  fieldType?: string;
  options?: PropertyOptionInput[];
  displayOrder?: number;
  hidden?: boolean;
}

export interface GroupCreateInput {
  name: string;
  label: string;
  displayOrder?: number;
}

/** The JSON HubSpot returns for one property definition. */
export interface PropertyJson {
  name: string;
  label: string;
  type: PropertyType;
  fieldType: FieldType;
  description: string;
  groupName: string;
  options: PropertyOption[];
  displayOrder: number;
  calculated: boolean;
  externalOptions: boolean;
  hasUniqueValue: boolean;
  hidden: boolean;
  hubspotDefined: boolean;
  formField: boolean;
  modificationMetadata: { archivable: boolean; readOnlyDefinition: boolean; readOnlyValue: boolean };
  createdAt: string;
  updatedAt: string;
}

const propertyNamePattern = /^[a-z][a-z0-9_]*$/;

export class PropertyRegistry {
  private readonly definitions = new Map<SandboxObjectType, Map<string, PropertyDefinition>>();
  private readonly groups = new Map<SandboxObjectType, Map<string, PropertyGroup>>();

  constructor(private readonly clock: Clock) {
    const created = clock.now();
    for (const type of sandboxObjectTypes) {
      const groups = new Map<string, PropertyGroup>();
      defaultGroups[type].forEach((g, i) => groups.set(g.name, { ...g, displayOrder: i, archived: false }));
      this.groups.set(type, groups);
      const firstGroup = defaultGroups[type][0]?.name ?? 'information';
      const defs = new Map<string, PropertyDefinition>();
      propertyCatalog[type].forEach((entry, i) => defs.set(entry.name, fromCatalog(entry, firstGroup, i, created)));
      this.definitions.set(type, defs);
    }
  }

  get(type: SandboxObjectType, name: string): PropertyDefinition | undefined {
    return this.defs(type).get(name);
  }

  require(type: SandboxObjectType, name: string): PropertyDefinition {
    const def = this.get(type, name);
    if (!def) throw notFoundError(`Unable to find property ${name} for object type ${type}`);
    return def;
  }

  list(type: SandboxObjectType): PropertyDefinition[] {
    return [...this.defs(type).values()];
  }

  /** Names returned by a read that asks for no properties. */
  defaultReadNames(type: SandboxObjectType): string[] {
    return this.list(type)
      .filter((d) => d.defaultRead)
      .map((d) => d.name);
  }

  create(type: SandboxObjectType, input: PropertyCreateInput): PropertyDefinition {
    if (!propertyNamePattern.test(input.name)) {
      throw validationError(`Property name "${input.name}" is invalid: use lower-case letters, digits and underscores, starting with a letter`, {
        context: { name: [input.name] },
      });
    }
    if (this.defs(type).has(input.name)) {
      throw conflictError(`A property named '${input.name}' already exists.`, { name: [input.name] });
    }
    const propertyType = parsePropertyType(input.type);
    const fieldType = parseFieldType(input.fieldType, propertyType);
    this.requireGroup(type, input.groupName);
    const now = this.clock.now();
    const def: PropertyDefinition = {
      name: input.name,
      label: input.label,
      type: propertyType,
      fieldType,
      groupName: input.groupName,
      description: input.description ?? '',
      options: normaliseOptions(input.options ?? []),
      displayOrder: input.displayOrder ?? -1,
      hidden: input.hidden ?? false,
      hubspotDefined: false,
      readOnlyValue: false,
      readOnlyDefinition: false,
      defaultRead: false,
      createdAt: now,
      updatedAt: now,
    };
    this.defs(type).set(def.name, def);
    return def;
  }

  update(type: SandboxObjectType, name: string, patch: PropertyUpdateInput): PropertyDefinition {
    const def = this.require(type, name);
    if (def.readOnlyDefinition) {
      throw validationError(`Property ${name} has a read-only definition and cannot be changed`, { context: { name: [name] } });
    }
    if (patch.groupName !== undefined) this.requireGroup(type, patch.groupName);
    const fieldType = patch.fieldType === undefined ? def.fieldType : parseFieldType(patch.fieldType, def.type);
    const updated: PropertyDefinition = {
      ...def,
      label: patch.label ?? def.label,
      description: patch.description ?? def.description,
      groupName: patch.groupName ?? def.groupName,
      fieldType,
      options: patch.options === undefined ? def.options : normaliseOptions(patch.options),
      displayOrder: patch.displayOrder ?? def.displayOrder,
      hidden: patch.hidden ?? def.hidden,
      updatedAt: this.clock.now(),
    };
    this.defs(type).set(name, updated);
    return updated;
  }

  listGroups(type: SandboxObjectType): PropertyGroup[] {
    return [...this.groupMap(type).values()];
  }

  getGroup(type: SandboxObjectType, name: string): PropertyGroup | undefined {
    return this.groupMap(type).get(name);
  }

  createGroup(type: SandboxObjectType, input: GroupCreateInput): PropertyGroup {
    if (!propertyNamePattern.test(input.name)) {
      throw validationError(`Property group name "${input.name}" is invalid`, { context: { name: [input.name] } });
    }
    const groups = this.groupMap(type);
    if (groups.has(input.name)) {
      throw conflictError(`A property group named '${input.name}' already exists.`, { name: [input.name] });
    }
    const group: PropertyGroup = { name: input.name, label: input.label, displayOrder: input.displayOrder ?? -1, archived: false };
    groups.set(group.name, group);
    return group;
  }

  private requireGroup(type: SandboxObjectType, name: string): void {
    if (!this.groupMap(type).has(name)) {
      throw validationError(`Property group ${name} does not exist`, { context: { groupName: [name] } });
    }
  }

  private defs(type: SandboxObjectType): Map<string, PropertyDefinition> {
    const defs = this.definitions.get(type);
    if (!defs) throw new Error(`no property definitions for ${type}`);
    return defs;
  }

  private groupMap(type: SandboxObjectType): Map<string, PropertyGroup> {
    const groups = this.groups.get(type);
    if (!groups) throw new Error(`no property groups for ${type}`);
    return groups;
  }
}

export function propertyToJson(def: PropertyDefinition): PropertyJson {
  return {
    name: def.name,
    label: def.label,
    type: def.type,
    fieldType: def.fieldType,
    description: def.description,
    groupName: def.groupName,
    options: def.options,
    displayOrder: def.displayOrder,
    calculated: false,
    externalOptions: false,
    hasUniqueValue: false,
    hidden: def.hidden,
    hubspotDefined: def.hubspotDefined,
    formField: !def.readOnlyValue,
    modificationMetadata: {
      archivable: !def.hubspotDefined,
      readOnlyDefinition: def.readOnlyDefinition,
      readOnlyValue: def.readOnlyValue,
    },
    createdAt: new Date(def.createdAt).toISOString(),
    updatedAt: new Date(def.updatedAt).toISOString(),
  };
}

function fromCatalog(entry: CatalogEntry, defaultGroup: string, order: number, created: number): PropertyDefinition {
  const options = (entry.options ?? []).map((o, i): PropertyOption => {
    const [value, label] = typeof o === 'string' ? [o, o] : o;
    return { value, label, displayOrder: i, hidden: false };
  });
  const system = entry.readOnly === true || entry.name === 'createdate';
  return {
    name: entry.name,
    label: entry.label,
    type: entry.type,
    fieldType: entry.fieldType ?? defaultFieldType(entry.type),
    groupName: entry.group ?? defaultGroup,
    description: '',
    options,
    displayOrder: order,
    hidden: false,
    hubspotDefined: true,
    readOnlyValue: entry.readOnly ?? false,
    readOnlyDefinition: system,
    defaultRead: entry.defaultRead ?? false,
    createdAt: created,
    updatedAt: created,
  };
}

function defaultFieldType(type: PropertyType): FieldType {
  const first = allowedFieldTypes[type][0];
  if (!first) throw new Error(`no field type for ${type}`);
  return first;
}

function parsePropertyType(raw: string): PropertyType {
  const found = propertyTypes.find((t) => t === raw);
  if (!found) {
    throw validationError(`Invalid property type "${raw}"; allowed: ${propertyTypes.join(', ')}`, { context: { type: [raw] } });
  }
  return found;
}

function parseFieldType(raw: string, type: PropertyType): FieldType {
  const found = fieldTypes.find((t) => t === raw);
  if (!found) {
    throw validationError(`Invalid fieldType "${raw}"; allowed: ${fieldTypes.join(', ')}`, { context: { fieldType: [raw] } });
  }
  if (!allowedFieldTypes[type].includes(found)) {
    throw validationError(`fieldType "${raw}" is not valid for a property of type "${type}"; allowed: ${allowedFieldTypes[type].join(', ')}`, {
      context: { fieldType: [raw] },
    });
  }
  return found;
}

function normaliseOptions(options: PropertyOptionInput[]): PropertyOption[] {
  const seen = new Set<string>();
  return options.map((o, i) => {
    if (seen.has(o.value)) throw validationError(`Duplicate option value "${o.value}"`, { context: { options: [o.value] } });
    seen.add(o.value);
    return { label: o.label, value: o.value, displayOrder: o.displayOrder ?? i, hidden: o.hidden ?? false };
  });
}
