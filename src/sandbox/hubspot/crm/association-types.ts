/**
 * HubSpot's association type ids per object pair, from the object-type
 * table (`src/core/object-types.ts`). Company pairs have a HUBSPOT_DEFINED
 * "Primary" type; the others (deal->contact, ticket->contact...) have none
 * in HubSpot, so the sandbox models the usual portal set-up: a USER_DEFINED
 * label "Primary" with type id 100 + the unlabeled id (deal->contact 103).
 * A primary association carries both its unlabeled and its primary type.
 */
import { associationTypeIds } from '../../../core/object-types.js';
import type { SandboxObjectType } from './object-types.js';

export interface AssociationType {
  category: 'HUBSPOT_DEFINED' | 'USER_DEFINED';
  typeId: number;
  label: string | null;
}

export interface PairTypes {
  unlabeled: AssociationType;
  primary: AssociationType;
}

const hubspot = (typeId: number, label: string | null = null): AssociationType => ({ category: 'HUBSPOT_DEFINED', typeId, label });
const user = (typeId: number, label: string): AssociationType => ({ category: 'USER_DEFINED', typeId, label });

export const primaryLabel = 'Primary';

/** The sandbox's USER_DEFINED "Primary" label id for a pair HubSpot defines no primary for. */
export const USER_PRIMARY_OFFSET = 100;

export function pairTypes(from: SandboxObjectType, to: SandboxObjectType): PairTypes | undefined {
  const ids = associationTypeIds(from, to);
  if (ids === undefined) return undefined;
  return {
    unlabeled: hubspot(ids.unlabeled),
    primary: ids.primary === undefined ? user(USER_PRIMARY_OFFSET + ids.unlabeled, primaryLabel) : hubspot(ids.primary, primaryLabel),
  };
}
