/**
 * HubSpot's association type ids per object pair. Company pairs have a
 * HUBSPOT_DEFINED "Primary" type; deal->contact has none in HubSpot, so the
 * sandbox models the usual portal set-up: a USER_DEFINED label "Primary".
 * A primary association carries both its unlabeled and its primary type.
 */
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

const pairs: Partial<Record<`${SandboxObjectType}->${SandboxObjectType}`, PairTypes>> = {
  'contacts->companies': { unlabeled: hubspot(279), primary: hubspot(1, primaryLabel) },
  'companies->contacts': { unlabeled: hubspot(280), primary: hubspot(2, primaryLabel) },
  'deals->contacts': { unlabeled: hubspot(3), primary: user(101, primaryLabel) },
  'contacts->deals': { unlabeled: hubspot(4), primary: user(102, primaryLabel) },
  'deals->companies': { unlabeled: hubspot(341), primary: hubspot(5, primaryLabel) },
  'companies->deals': { unlabeled: hubspot(342), primary: hubspot(6, primaryLabel) },
};

export function pairTypes(from: SandboxObjectType, to: SandboxObjectType): PairTypes | undefined {
  return pairs[`${from}->${to}`];
}
