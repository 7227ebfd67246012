/**
 * Reads what campaigns need to map their variables for a set of records:
 * the records themselves (a CRM GET for one, batch reads of 100 otherwise;
 * never search, which lags), then, for campaigns that read an associated
 * contact, deal or company, that record, preferring one labelled primary.
 *
 * The same reading as the engine's enrichment, over plain (record id,
 * campaign) pairs and only the HubSpot client and budget, so `render
 * --dry-run`, `backfill --dry-run` and `doctor` use it without a store.
 */
import type { ObjectType } from '../config/schema.js';
import { requiredProperties, type MappableCampaign, type Props, type SourceName, type Sources } from '../core/variables.js';
import type { HubSpotBudget } from '../engine/hubspot-budget.js';
import { hubspotCall } from '../engine/provider-calls.js';
import type { HubSpotClient } from '../hubspot/types.js';

const BATCH = 100;

export type RelatedSource = Exclude<SourceName, 'record' | 'recipient'>;

/** The object type each associated source reads. */
export const SOURCE_TYPES: Record<RelatedSource, ObjectType> = {
  contact: 'contacts',
  deal: 'deals',
  company: 'companies',
};

export interface SourceReader {
  hubspot: HubSpotClient;
  budget: HubSpotBudget;
}

export interface SourceTarget {
  objectId: string;
  campaign: MappableCampaign;
}

const relatedSources = Object.entries(SOURCE_TYPES) as [RelatedSource, ObjectType][];

/** Every object type a campaign reads, its own first. */
export function objectTypesRead(campaign: MappableCampaign & { object: ObjectType }): ObjectType[] {
  const types = new Set<ObjectType>([campaign.object]);
  const needs = requiredProperties(campaign);
  for (const [source, type] of relatedSources) if (needs[source].length > 0) types.add(type);
  return [...types];
}

/** Keyed by record id; a record HubSpot does not have is absent. */
export async function readCampaignSources(reader: SourceReader, objectType: ObjectType, targets: readonly SourceTarget[]): Promise<Map<string, Sources>> {
  const needs = new Map<SourceName, Set<string>>();
  for (const { campaign } of targets) {
    for (const [source, props] of Object.entries(requiredProperties(campaign)) as [SourceName, string[]][]) {
      if (props.length === 0) continue;
      const set = needs.get(source) ?? new Set<string>();
      props.forEach((p) => set.add(p));
      needs.set(source, set);
    }
  }
  const ownProps = new Set([...(needs.get('record') ?? []), ...(needs.get('recipient') ?? [])]);
  for (const [source, type] of relatedSources) {
    if (type === objectType) (needs.get(source) ?? []).forEach((p) => ownProps.add(p));
  }
  const ids = [...new Set(targets.map((t) => t.objectId))];
  const records = await readRecords(reader, objectType, ids, [...ownProps]);

  const result = new Map<string, Sources>();
  for (const [id, props] of records) {
    const sources: Sources = { record: props, recipient: props };
    for (const [source, type] of relatedSources) if (type === objectType) sources[source] = props;
    result.set(id, sources);
  }

  for (const [source, type] of relatedSources) {
    const props = needs.get(source);
    if (!props || type === objectType) continue;
    const present = [...result.keys()];
    const links = await hubspotCall(reader, () => reader.hubspot.batchAssociations(objectType, type, present));
    const chosen = new Map<string, string>();
    for (const [fromId, assoc] of links) {
      const primary = assoc.find((a) => a.labels.some((l) => /primary/i.test(l))) ?? assoc[0];
      if (primary) chosen.set(fromId, String(primary.toObjectId));
    }
    const related = await readRecords(reader, type, [...new Set(chosen.values())], [...props]);
    for (const [fromId, toId] of chosen) {
      const sources = result.get(fromId);
      if (sources) sources[source] = related.get(toId) ?? {};
    }
    for (const sources of result.values()) sources[source] ??= {};
  }
  return result;
}

async function readRecords(reader: SourceReader, type: ObjectType, ids: string[], properties: string[]): Promise<Map<string, Props>> {
  const out = new Map<string, Props>();
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
