/**
 * Coalescing of CRM property writes for one record. The outbox keeps one
 * pending write per record; a newer fact about the same render merges into
 * it (latest status wins, never backwards), a write of a newer render
 * replaces it, and a write of an older render is dropped.
 */
import { crmStatusRank, type CrmStatus } from './states.js';

export interface CrmWrite {
  renderId: number;
  properties: Record<string, string>;
  /** Rank of the status this write carries (0 when it carries none). */
  statusRank: number;
}

export function crmWrite(renderId: number, properties: Record<string, string>, status?: CrmStatus): CrmWrite {
  return { renderId, properties, statusRank: crmStatusRank(status) };
}

/** The write that should stand after `incoming` arrives on top of `pending`; null to keep `pending` as is. */
export function coalesceCrmWrites(pending: CrmWrite, incoming: CrmWrite): CrmWrite | null {
  if (incoming.renderId < pending.renderId) return null;
  if (incoming.renderId > pending.renderId) return incoming;
  if (incoming.statusRank >= pending.statusRank) {
    return {
      renderId: pending.renderId,
      properties: { ...pending.properties, ...incoming.properties },
      statusRank: incoming.statusRank,
    };
  }
  // An older fact arriving late: keep the newer status, add only what is new.
  const merged = { ...incoming.properties, ...pending.properties };
  const changed = Object.keys(merged).some((k) => pending.properties[k] !== merged[k]);
  return changed ? { renderId: pending.renderId, properties: merged, statusRank: pending.statusRank } : null;
}
