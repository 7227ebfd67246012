/** Shapes of HubSpot property definitions and groups, as the properties API returns them. */
export const propertyTypes = ['string', 'number', 'date', 'datetime', 'enumeration', 'bool'] as const;
export type PropertyType = (typeof propertyTypes)[number];

export const fieldTypes = [
  'text',
  'textarea',
  'number',
  'date',
  'select',
  'radio',
  'checkbox',
  'booleancheckbox',
  'phonenumber',
  'html',
  'file',
  'calculation_equation',
] as const;
export type FieldType = (typeof fieldTypes)[number];

/** Which field types HubSpot lets each property type use. */
export const allowedFieldTypes: Record<PropertyType, readonly FieldType[]> = {
  string: ['text', 'textarea', 'phonenumber', 'html', 'file'],
  number: ['number', 'calculation_equation'],
  date: ['date'],
  datetime: ['date'],
  enumeration: ['select', 'radio', 'checkbox', 'booleancheckbox'],
  bool: ['booleancheckbox'],
};

export interface PropertyOption {
  label: string;
  value: string;
  displayOrder: number;
  hidden: boolean;
}

export interface PropertyDefinition {
  name: string;
  label: string;
  type: PropertyType;
  fieldType: FieldType;
  groupName: string;
  description: string;
  options: PropertyOption[];
  displayOrder: number;
  hidden: boolean;
  hubspotDefined: boolean;
  /** The API refuses writes (hs_object_id, last-modified dates). */
  readOnlyValue: boolean;
  /** The definition itself cannot be changed. */
  readOnlyDefinition: boolean;
  /** Returned by a read that names no properties. */
  defaultRead: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface PropertyGroup {
  name: string;
  label: string;
  displayOrder: number;
  archived: boolean;
}
