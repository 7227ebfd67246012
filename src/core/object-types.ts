/**
 * The one table of CRM object types Reelay works with (pure). Every other
 * place that names an object type (config, matching, delivery parsing,
 * reads, setup, doctor, the sandbox) reads it from here, so a new type is a
 * new row. Facts and their sources: docs/api-notes/object-types.md.
 */

export interface AssociationTypeIds {
  /** HUBSPOT_DEFINED unlabeled association type id from this type to the other. */
  unlabeled: number;
  /** HUBSPOT_DEFINED "Primary" type id, where HubSpot has one (company pairs). */
  primary?: number;
}

export interface ObjectTypeRow {
  /** The name in URLs and config (`contacts`). */
  plural: string;
  /** The name in legacy subscription types (`contact.propertyChange`), project `objectType` and `from:`. */
  singular: string;
  /** HubSpot's id of the standard object, as generic `object.*` events carry it. */
  objectTypeId: string;
  /** Upper-case name HubSpot uses in its messages ("Could not get some CONTACT objects"). */
  label: string;
  /** Where the record keeps its modification time. */
  modifiedDateProperty: 'lastmodifieddate' | 'hs_lastmodifieddate';
  /** What a workflow "Send a webhook" body includes by default; `hs_object_id` first. */
  displayProperties: readonly string[];
  /** Properties that exist on this type alone: they tell an untyped workflow body's type. */
  markerProperties: readonly string[];
  /** OAuth scopes: reading and writing records, reading and changing property definitions. */
  scopes: { read: string; write: string; schemaRead: string; schemaWrite: string };
  /** Association type ids from this type, keyed by the other type's plural. */
  associations: Readonly<Record<string, AssociationTypeIds>>;
  /** HUBSPOT_DEFINED association type id from a note to a record of this type (docs/api-notes/notes.md). */
  noteAssociation: number;
}

const crmScopes = (plural: string) => ({
  read: `crm.objects.${plural}.read`,
  write: `crm.objects.${plural}.write`,
  schemaRead: `crm.schemas.${plural}.read`,
  schemaWrite: `crm.schemas.${plural}.write`,
});

const OBJECT_TYPES = {
  contacts: {
    plural: 'contacts',
    singular: 'contact',
    objectTypeId: '0-1',
    label: 'CONTACT',
    modifiedDateProperty: 'lastmodifieddate',
    displayProperties: ['hs_object_id', 'email', 'firstname', 'lastname'],
    markerProperties: ['email', 'firstname', 'lastname'],
    scopes: crmScopes('contacts'),
    associations: { companies: { unlabeled: 279, primary: 1 }, deals: { unlabeled: 4 }, tickets: { unlabeled: 15 } },
    noteAssociation: 202,
  },
  deals: {
    plural: 'deals',
    singular: 'deal',
    objectTypeId: '0-3',
    label: 'DEAL',
    modifiedDateProperty: 'hs_lastmodifieddate',
    displayProperties: ['hs_object_id', 'dealname', 'dealstage', 'amount'],
    markerProperties: ['dealname', 'dealstage'],
    scopes: crmScopes('deals'),
    associations: { contacts: { unlabeled: 3 }, companies: { unlabeled: 341, primary: 5 }, tickets: { unlabeled: 27 } },
    noteAssociation: 214,
  },
  companies: {
    plural: 'companies',
    singular: 'company',
    objectTypeId: '0-2',
    label: 'COMPANY',
    modifiedDateProperty: 'hs_lastmodifieddate',
    displayProperties: ['hs_object_id', 'name', 'domain'],
    markerProperties: ['domain', 'numberofemployees'],
    scopes: crmScopes('companies'),
    associations: { contacts: { unlabeled: 280, primary: 2 }, deals: { unlabeled: 342, primary: 6 }, tickets: { unlabeled: 340, primary: 25 } },
    noteAssociation: 190,
  },
  tickets: {
    plural: 'tickets',
    singular: 'ticket',
    objectTypeId: '0-5',
    label: 'TICKET',
    modifiedDateProperty: 'hs_lastmodifieddate',
    displayProperties: ['hs_object_id', 'subject', 'hs_pipeline_stage'],
    markerProperties: ['subject', 'hs_pipeline_stage', 'hs_ticket_priority'],
    // Ticket records are read and written with the one scope `tickets`, not crm.objects.tickets.*.
    scopes: { read: 'tickets', write: 'tickets', schemaRead: 'crm.schemas.tickets.read', schemaWrite: 'crm.schemas.tickets.write' },
    associations: { contacts: { unlabeled: 16 }, companies: { unlabeled: 339, primary: 26 }, deals: { unlabeled: 28 } },
    noteAssociation: 228,
  },
} as const satisfies Record<string, ObjectTypeRow>;

export type ObjectType = keyof typeof OBJECT_TYPES;
export type ObjectSingular = (typeof OBJECT_TYPES)[ObjectType]['singular'];

/** Plural names, in table order (contacts first). */
export const objectTypes = Object.keys(OBJECT_TYPES) as [ObjectType, ...ObjectType[]];
/** Singular names, in the same order. */
export const objectSingulars = objectTypes.map((t) => OBJECT_TYPES[t].singular) as [ObjectSingular, ...ObjectSingular[]];

export function objectTypeInfo(type: ObjectType): ObjectTypeRow {
  return OBJECT_TYPES[type];
}

export function isObjectType(name: string): name is ObjectType {
  return Object.hasOwn(OBJECT_TYPES, name);
}

export function singularOf(type: ObjectType): ObjectSingular {
  return OBJECT_TYPES[type].singular;
}

/** `contact`, `contacts`, `Deal`, `0-1`... -> the object type; null for other objects. */
export function objectTypeFromName(name: string): ObjectType | null {
  const wanted = name.trim().toLowerCase();
  return objectTypes.find((t) => t === wanted || OBJECT_TYPES[t].singular === wanted || OBJECT_TYPES[t].objectTypeId === wanted) ?? null;
}

/** `0-5` -> `tickets`; null for ids of other objects. */
export function objectTypeFromId(objectTypeId: string): ObjectType | null {
  return objectTypes.find((t) => OBJECT_TYPES[t].objectTypeId === objectTypeId) ?? null;
}

/** `contact.propertyChange` -> `contacts`, `deal.creation` -> `deals`; null for other objects and generic `object.*`. */
export function objectTypeFromSubscription(subscriptionType: string): ObjectType | null {
  const prefix = subscriptionType.split('.')[0] ?? '';
  return prefix.includes('-') ? null : objectTypeFromName(prefix);
}

/** HubSpot's association type ids from one type to another; undefined when HubSpot has none the table knows. */
export function associationTypeIds(from: ObjectType, to: ObjectType): AssociationTypeIds | undefined {
  const row: ObjectTypeRow = OBJECT_TYPES[from];
  return Object.hasOwn(row.associations, to) ? row.associations[to] : undefined;
}

/** The association type id from a note to a record of this type (note→contact 202, →company 190, →deal 214, →ticket 228). */
export function noteAssociationTypeId(type: ObjectType): number {
  return OBJECT_TYPES[type].noteAssociation;
}
