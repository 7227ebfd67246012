/**
 * The CRM object types the sandbox serves: every type of Reelay's table
 * (`src/core/object-types.ts`), by any of the names HubSpot accepts for it
 * (`contacts`, `contact`, `0-1`).
 */
import { objectTypeFromName, objectTypeInfo, objectTypes, singularOf, type ObjectSingular, type ObjectType } from '../../../core/object-types.js';

export const sandboxObjectTypes = objectTypes;
export type SandboxObjectType = ObjectType;

export function parseObjectType(raw: string): SandboxObjectType | undefined {
  return objectTypeFromName(raw) ?? undefined;
}

/** Singular upper-case name used in HubSpot's messages ("Could not get some CONTACT objects"). */
export function objectTypeLabel(type: SandboxObjectType): string {
  return objectTypeInfo(type).label;
}

/** Singular lower-case name used in webhook subscription types (`contact.propertyChange`). */
export function objectTypeSingular(type: SandboxObjectType): ObjectSingular {
  return singularOf(type);
}

/** Contacts keep their modification time in `lastmodifieddate`; the others in `hs_lastmodifieddate`, as in the real portal. */
export function modifiedDateProperty(type: SandboxObjectType): 'lastmodifieddate' | 'hs_lastmodifieddate' {
  return objectTypeInfo(type).modifiedDateProperty;
}
