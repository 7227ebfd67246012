/**
 * The CRM object types the sandbox serves, with the names HubSpot also
 * accepts for them (`0-1` is contacts, `0-3` deals, `0-2` companies).
 */
export const sandboxObjectTypes = ['contacts', 'deals', 'companies'] as const;
export type SandboxObjectType = (typeof sandboxObjectTypes)[number];

const aliases: Record<string, SandboxObjectType> = {
  contacts: 'contacts',
  contact: 'contacts',
  '0-1': 'contacts',
  deals: 'deals',
  deal: 'deals',
  '0-3': 'deals',
  companies: 'companies',
  company: 'companies',
  '0-2': 'companies',
};

export function parseObjectType(raw: string): SandboxObjectType | undefined {
  return aliases[raw.toLowerCase()];
}

/** Singular upper-case name used in HubSpot's messages ("Could not get some CONTACT objects"). */
export function objectTypeLabel(type: SandboxObjectType): string {
  return { contacts: 'CONTACT', deals: 'DEAL', companies: 'COMPANY' }[type];
}

/** Singular lower-case name used in webhook subscription types (`contact.propertyChange`). */
export function objectTypeSingular(type: SandboxObjectType): 'contact' | 'deal' | 'company' {
  return ({ contacts: 'contact', deals: 'deal', companies: 'company' } as const)[type];
}

/**
 * Contacts keep their modification time in `lastmodifieddate`; deals and
 * companies in `hs_lastmodifieddate`, as in the real portal.
 */
export function modifiedDateProperty(type: SandboxObjectType): 'lastmodifieddate' | 'hs_lastmodifieddate' {
  return type === 'contacts' ? 'lastmodifieddate' : 'hs_lastmodifieddate';
}
