/**
 * Reads what campaigns need to map their variables for a set of records:
 * the records themselves (a CRM GET for one, batch reads of 100 otherwise;
 * never search, which lags), the triggering records when a render is for a
 * recipient of another record (a deal's contact), and, for campaigns that
 * read an associated contact, deal or company, that record, preferring one
 * labelled primary. Also finds a record's recipient contacts.
 *
 * Used by enrichment and by `render --dry-run`, `backfill --dry-run` and
 * `doctor`, which have no store: it needs only the HubSpot client and budget.
 */
import type { ConditionSpec, ObjectType, RecipientsSpec } from '../config/schema.js';
import { checkConditions, conditionProperties } from '../core/conditions.js';
import { objectTypes, singularOf } from '../core/object-types.js';
import { requiredProperties, sourceNames, type MappableCampaign, type Props, type SourceName, type Sources } from '../core/variables.js';
import { allMappings, variantConditions, type VariantCampaign } from '../core/variants.js';
import type { Association, HubSpotClient } from '../hubspot/types.js';
import type { HubSpotBudget } from './hubspot-budget.js';
import { hubspotCall } from './provider-calls.js';

const BATCH = 100;

export type RelatedSource = Exclude<SourceName, 'record' | 'recipient'>;

/** The object type each typed source reads. */
export const SOURCE_TYPES = Object.fromEntries(objectTypes.map((t) => [singularOf(t), t])) as Record<RelatedSource, ObjectType>;

const relatedSources = Object.entries(SOURCE_TYPES) as [RelatedSource, ObjectType][];

function sourceOfType(type: string): RelatedSource | undefined {
  return relatedSources.find(([, t]) => t === type)?.[0];
}

export interface SourceReader {
  hubspot: HubSpotClient;
  budget: HubSpotBudget;
}

export type SourceCampaign = MappableCampaign & { conditions?: readonly ConditionSpec[] } & Pick<VariantCampaign, 'variants'>;

/** What a campaign reads from each source, for its own mapping and every variant's (any of them may be chosen). */
function campaignNeeds(campaign: MappableCampaign & Pick<VariantCampaign, 'variants'>): Record<SourceName, string[]> {
  const needs = allMappings(campaign).map(requiredProperties);
  const merged = {} as Record<SourceName, string[]>;
  for (const source of sourceNames) merged[source] = [...new Set(needs.flatMap((n) => n[source]))].sort();
  return merged;
}

export interface SourceTarget {
  /** The record the video is for. */
  objectId: string;
  campaign: SourceCampaign;
  /** The record whose change triggered the render, when it is another one. */
  trigger?: { objectType: ObjectType; objectId: string } | null;
}

/** The key of a target in `readCampaignSources`' result. */
export function sourceKey(target: Pick<SourceTarget, 'objectId' | 'trigger'>): string {
  return target.trigger ? `${target.objectId}<${target.trigger.objectType}/${target.trigger.objectId}` : target.objectId;
}

/** Every object type a campaign reads, its own first. */
export function objectTypesRead(campaign: MappableCampaign & Pick<VariantCampaign, 'variants'> & { object: ObjectType }): ObjectType[] {
  const types = new Set<ObjectType>([campaign.object]);
  const needs = campaignNeeds(campaign);
  for (const [source, type] of relatedSources) if (needs[source].length > 0) types.add(type);
  return [...types];
}

function addAll(set: Set<string>, values: Iterable<string> | undefined): void {
  for (const v of values ?? []) set.add(v);
}

/**
 * Keyed by `sourceKey(target)`; a target whose record (or triggering record)
 * HubSpot does not have is absent.
 */
export async function readCampaignSources(reader: SourceReader, objectType: ObjectType, targets: readonly SourceTarget[]): Promise<Map<string, Sources>> {
  const ownSource = sourceOfType(objectType);
  const ownProps = new Set<string>();
  const triggerProps = new Map<ObjectType, Set<string>>();
  const relatedNeeds = new Map<RelatedSource, Set<string>>();
  for (const { campaign, trigger } of targets) {
    const needs = campaignNeeds(campaign);
    // Variants are chosen by the record's properties, like conditions: they are read with it.
    const recordProps = [...needs.record, ...conditionProperties([...(campaign.conditions ?? []), ...variantConditions(campaign)])];
    addAll(ownProps, needs.recipient);
    if (ownSource) addAll(ownProps, needs[ownSource]);
    if (trigger) {
      const set = triggerProps.get(trigger.objectType) ?? new Set<string>();
      addAll(set, recordProps);
      const triggerSource = sourceOfType(trigger.objectType);
      if (triggerSource) addAll(set, needs[triggerSource]);
      triggerProps.set(trigger.objectType, set);
    } else {
      addAll(ownProps, recordProps);
    }
    for (const [source, type] of relatedSources) {
      if (type === objectType || type === trigger?.objectType || needs[source].length === 0) continue;
      const set = relatedNeeds.get(source) ?? new Set<string>();
      addAll(set, needs[source]);
      relatedNeeds.set(source, set);
    }
  }

  const own = await readRecords(reader, objectType, [...new Set(targets.map((t) => t.objectId))], [...ownProps]);
  const triggers = new Map<string, Props>();
  for (const [type, props] of triggerProps) {
    const ids = [...new Set(targets.flatMap((t) => (t.trigger?.objectType === type ? [t.trigger.objectId] : [])))];
    for (const [id, record] of await readRecords(reader, type, ids, [...props])) triggers.set(`${type}/${id}`, record);
  }

  const result = new Map<string, Sources>();
  for (const target of targets) {
    const recipient = own.get(target.objectId);
    if (!recipient) continue;
    const sources: Sources = { record: recipient, recipient };
    if (ownSource) sources[ownSource] = recipient;
    if (target.trigger) {
      const record = triggers.get(`${target.trigger.objectType}/${target.trigger.objectId}`);
      if (!record) continue;
      sources.record = record;
      const triggerSource = sourceOfType(target.trigger.objectType);
      if (triggerSource) sources[triggerSource] = record;
    }
    result.set(sourceKey(target), sources);
  }

  // Associated records are read from the recipient, preferring the primary one.
  for (const [source, props] of relatedNeeds) {
    const type = SOURCE_TYPES[source];
    const present = [...own.keys()];
    const links = present.length === 0 ? new Map<string, Association[]>() : await hubspotCall(reader, () => reader.hubspot.batchAssociations(objectType, type, present));
    const chosen = new Map<string, string>();
    for (const [fromId, assoc] of links) {
      const picked = primaryOf(assoc) ?? assoc[0];
      if (picked) chosen.set(fromId, String(picked.toObjectId));
    }
    const related = await readRecords(reader, type, [...new Set(chosen.values())], [...props]);
    for (const target of targets) {
      const sources = result.get(sourceKey(target));
      if (!sources || sources[source]) continue;
      const toId = chosen.get(target.objectId);
      sources[source] = (toId === undefined ? undefined : related.get(toId)) ?? {};
    }
  }
  return result;
}

/**
 * The contacts a deal or company trigger renders for (`recipients:`): all
 * associated contacts or the primary one, kept only if they match `filter`.
 */
export async function readRecipients(
  reader: SourceReader,
  objectType: ObjectType,
  ids: readonly string[],
  spec: RecipientsSpec,
  placeholders: readonly string[],
): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (ids.length === 0) return out;
  const links = await hubspotCall(reader, () => reader.hubspot.batchAssociations(objectType, 'contacts', [...ids]));
  const candidates = new Map<string, string[]>();
  for (const id of ids) {
    const assoc = links.get(id) ?? [];
    const picked = spec.which === 'primary' ? [primaryOf(assoc)].filter((a): a is Association => a !== undefined) : assoc;
    candidates.set(id, [...new Set(picked.map((a) => String(a.toObjectId)))]);
  }
  if (spec.filter.length === 0) return candidates;
  const contacts = await readRecords(reader, 'contacts', [...new Set([...candidates.values()].flat())], conditionProperties(spec.filter));
  for (const [id, contactIds] of candidates) {
    out.set(
      id,
      contactIds.filter((c) => {
        const props = contacts.get(c);
        return props !== undefined && checkConditions(spec.filter, props, placeholders).ok;
      }),
    );
  }
  return out;
}

function primaryOf(assoc: readonly Association[]): Association | undefined {
  return assoc.find((a) => a.labels.some((l) => /primary/i.test(l)));
}

async function readRecords(reader: SourceReader, type: ObjectType, ids: string[], properties: string[]): Promise<Map<string, Props>> {
  const out = new Map<string, Props>();
  if (ids.length === 0) return out;
  if (ids.length === 1) {
    const id = ids[0] as string;
    const record = await hubspotCall(reader, () => reader.hubspot.getObject(type, id, properties));
    if (record) out.set(record.id, record.properties);
    return out;
  }
  for (let i = 0; i < ids.length; i += BATCH) {
    const chunk = ids.slice(i, i + BATCH);
    const read = await hubspotCall(reader, () => reader.hubspot.batchRead(type, chunk, properties));
    for (const record of read.records) out.set(record.id, record.properties);
  }
  return out;
}
