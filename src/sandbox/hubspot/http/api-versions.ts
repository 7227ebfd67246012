/**
 * The path prefixes the sandbox serves for each HubSpot API version: the
 * numbered ones (`/crm/v3` objects and properties, `/crm/v4` associations,
 * `/account-info/v3`) and the date-based 2026-03 ones. Both answer alike,
 * as HubSpot's specs for the two describe the same bodies.
 */
export interface VersionedBases {
  objects: string;
  properties: string;
  /** `GET|PUT {base}/:objectType/:objectId/associations/...` */
  objectAssociations: string;
  /** `POST {base}/:fromType/:toType/batch/read` */
  associations: string;
  accountInfo: string;
  /**
   * How association answers type `toObjectId`: v4 answers send numbers; the
   * 2026-03 spec types it as a string, so the sandbox sends strings there.
   */
  toObjectIdAsString: boolean;
  /** 2026-03's `OptionInput` requires `displayOrder` and `hidden` on every option written; v3's answers without. */
  strictOptionInput: boolean;
}

export const apiVersionBases: readonly VersionedBases[] = [
  {
    objects: '/crm/v3/objects',
    properties: '/crm/v3/properties',
    objectAssociations: '/crm/v4/objects',
    associations: '/crm/v4/associations',
    accountInfo: '/account-info/v3',
    toObjectIdAsString: false,
    strictOptionInput: false,
  },
  {
    objects: '/crm/objects/2026-03',
    properties: '/crm/properties/2026-03',
    objectAssociations: '/crm/objects/2026-03',
    associations: '/crm/associations/2026-03',
    accountInfo: '/account-info/2026-03',
    toObjectIdAsString: true,
    strictOptionInput: true,
  },
];

/** `v3`, `v4` or `2026-03`: the version a route's path names (for stats). */
export function pathVersion(url: string): string {
  const match = /\/(v\d+|\d{4}-\d{2})(?:\/|$)/.exec(url);
  return match?.[1] ?? 'unversioned';
}
