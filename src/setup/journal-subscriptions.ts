/**
 * The Webhooks Journal subscriptions `hubspot.intake: journal` needs: one
 * OBJECT subscription per object type a campaign triggers on, with the
 * trigger properties. `UPDATE` always; `CREATE` too where a campaign's
 * trigger (`equals`, `in`) also fires for a record created with the value.
 * Setup lists what exists first and creates (or widens) only what is
 * missing, so running it again changes nothing. The POST is an upsert per
 * portal and object type, so a widened subscription keeps the properties it
 * already had.
 */
import type { ObjectType, ReelayConfig } from '../config/schema.js';
import { objectTypeInfo } from '../core/object-types.js';
import type { JournalClient, JournalSubscription } from '../hubspot/journal-client.js';
import { JOURNAL_PRIVACY_ACTION, subscribesToPrivacyDeletions } from './privacy-subscription.js';

export interface PlannedJournalSubscription {
  objectType: ObjectType;
  objectTypeId: string;
  actions: string[];
  properties: string[];
}

/** Pure: the subscriptions the campaigns need, one per object type (contacts' with `GDPR_DELETE` when privacy deletions are honoured). */
export function plannedJournalSubscriptions(config: ReelayConfig): PlannedJournalSubscription[] {
  const byType = new Map<ObjectType, { actions: Set<string>; properties: Set<string> }>();
  for (const campaign of config.campaigns) {
    if (campaign.trigger === undefined) continue;
    const plan = byType.get(campaign.object) ?? { actions: new Set(['UPDATE']), properties: new Set<string>() };
    plan.properties.add(campaign.trigger.property);
    if (campaign.trigger.changedTo === undefined) plan.actions.add('CREATE');
    byType.set(campaign.object, plan);
  }
  if (subscribesToPrivacyDeletions(config)) {
    const contacts = byType.get('contacts') ?? { actions: new Set<string>(), properties: new Set<string>() };
    contacts.actions.add(JOURNAL_PRIVACY_ACTION);
    byType.set('contacts', contacts);
  }
  return [...byType.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([objectType, plan]) => ({
      objectType,
      objectTypeId: objectTypeInfo(objectType).objectTypeId,
      actions: [...plan.actions].sort(),
      properties: [...plan.properties].sort(),
    }));
}

export type JournalSubscriptionCheck =
  | { status: 'exists' | 'created' | 'updated'; planned: PlannedJournalSubscription; id: number }
  | { status: 'missing' | 'incomplete'; planned: PlannedJournalSubscription; lacking: string[] };

function covering(existing: JournalSubscription[], portalId: number, planned: PlannedJournalSubscription): JournalSubscription | undefined {
  return existing.find((s) => s.subscriptionType === 'OBJECT' && s.objectTypeId === planned.objectTypeId && (s.portalId === undefined || s.portalId === portalId));
}

function lacking(sub: JournalSubscription | undefined, planned: PlannedJournalSubscription): string[] {
  if (sub === undefined) return [...planned.actions, ...planned.properties];
  // An empty property list is taken to cover every property only when objectIds is empty too (UNCONFIRMED at HubSpot).
  const properties = sub.properties.length === 0 ? [] : planned.properties.filter((p) => !sub.properties.includes(p));
  return [...planned.actions.filter((a) => !sub.actions.includes(a)), ...properties, ...(sub.objectIds.length > 0 ? ['objectIds: every record'] : [])];
}

/** Compares what exists with what is needed; with `create`, creates or widens what is missing. */
export async function ensureJournalSubscriptions(
  journal: JournalClient,
  config: ReelayConfig,
  portalId: number,
  opts: { create: boolean },
): Promise<JournalSubscriptionCheck[]> {
  const existing = await journal.listSubscriptions();
  const checks: JournalSubscriptionCheck[] = [];
  for (const planned of plannedJournalSubscriptions(config)) {
    const sub = covering(existing, portalId, planned);
    const missing = lacking(sub, planned);
    if (sub !== undefined && missing.length === 0) {
      checks.push({ status: 'exists', planned, id: sub.id });
      continue;
    }
    if (!opts.create) {
      checks.push({ status: sub === undefined ? 'missing' : 'incomplete', planned, lacking: missing });
      continue;
    }
    const saved = await journal.upsertSubscription({
      subscriptionType: 'OBJECT',
      portalId,
      objectTypeId: planned.objectTypeId,
      actions: [...new Set([...(sub?.actions ?? []), ...planned.actions])].sort(),
      objectIds: [],
      properties: sub !== undefined && sub.properties.length === 0 ? [] : [...new Set([...(sub?.properties ?? []), ...planned.properties])].sort(),
    });
    checks.push({ status: sub === undefined ? 'created' : 'updated', planned, id: saved.id });
  }
  return checks;
}

/** `hubspot.portalId` when set, else HubSpot's account info. */
export async function journalPortalId(config: ReelayConfig, accountDetails: () => Promise<{ portalId: number }>): Promise<number> {
  const configured = config.hubspot.portalId.trim();
  if (/^\d+$/.test(configured)) return Number(configured);
  return (await accountDetails()).portalId;
}
