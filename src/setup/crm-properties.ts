/**
 * The HubSpot properties Reelay writes (SPEC "HubSpot properties written
 * back"), created on each object a campaign writes to. Read first, create
 * only what is missing; a property that exists with the wrong type is
 * reported, never altered (it may hold a customer's data).
 */
import type { ObjectType, ReelayConfig } from '../config/schema.js';
import { crmStatuses } from '../core/states.js';
import type { HubSpotClient, PropertyDefinition } from '../hubspot/types.js';

export interface PropertyCheck {
  objectType: string;
  name: string;
  status: 'created' | 'exists' | 'wrong_type' | 'missing_options' | 'missing';
  detail?: string;
}

export function wantedProperties(config: ReelayConfig): PropertyDefinition[] {
  const names = config.hubspot.properties;
  const group = names.group;
  const text = (name: string, label: string): PropertyDefinition => ({ name, label, type: 'string', fieldType: 'text', groupName: group });
  return [
    {
      name: names.status,
      label: 'HeyGen Render Status',
      type: 'enumeration',
      fieldType: 'select',
      groupName: group,
      options: crmStatuses.map((value, i) => ({ label: value.charAt(0) + value.slice(1).toLowerCase(), value, displayOrder: i, hidden: false })),
    },
    text(names.url, 'HeyGen Video URL'),
    text(names.jobId, 'HeyGen Job ID'),
    text(names.error, 'HeyGen Render Error'),
    { name: names.plays, label: 'HeyGen Video Plays', type: 'number', fieldType: 'number', groupName: group },
    { name: names.watchPercent, label: 'HeyGen Video Watch Percent', type: 'number', fieldType: 'number', groupName: group },
    { name: names.lastPlayed, label: 'HeyGen Video Last Played', type: 'datetime', fieldType: 'date', groupName: group },
    { name: names.ctaClicks, label: 'HeyGen Video CTA Clicks', type: 'number', fieldType: 'number', groupName: group },
    text(names.thumbnailUrl, 'HeyGen Video Thumbnail URL'),
  ];
}

/** `hubspot.properties.<key>`: the setting that names a property, for messages. */
export function propertySetting(config: ReelayConfig, name: string): string {
  const { group: _group, groupLabel: _label, ...names } = config.hubspot.properties;
  const key = Object.entries(names).find(([, value]) => value === name)?.[0];
  return `hubspot.properties.${key ?? '?'}`;
}

/**
 * The object types campaigns write back to: each campaign's own object, and
 * contacts when a deal, company or ticket campaign writes to its recipient
 * contacts (`recipients.to: contacts` without `writeback: record`).
 */
export function writebackObjects(config: ReelayConfig): ObjectType[] {
  const types = new Set<ObjectType>();
  for (const c of config.campaigns) {
    types.add(c.object);
    if (c.recipients.to === 'contacts' && c.writeback !== 'record') types.add('contacts');
  }
  return [...types].sort();
}

/**
 * Checks (and with `create`, creates) the group and properties on every
 * object type campaigns write to. Returns one line of outcome per property.
 */
export async function ensureCrmProperties(client: HubSpotClient, config: ReelayConfig, opts: { create: boolean }): Promise<PropertyCheck[]> {
  const checks: PropertyCheck[] = [];
  const { group, groupLabel } = config.hubspot.properties;
  for (const objectType of writebackObjects(config)) {
    if (opts.create && !(await client.getPropertyGroup(objectType, group))) {
      await client.createPropertyGroup(objectType, { name: group, label: groupLabel });
    }
    // One read of the object's properties, not one per property: setup stays far below the burst limit.
    const present = new Map((await client.listProperties(objectType)).map((p) => [p.name, p]));
    for (const wanted of wantedProperties(config)) {
      const existing = present.get(wanted.name);
      if (!existing) {
        if (!opts.create) {
          checks.push({ objectType, name: wanted.name, status: 'missing' });
          continue;
        }
        await client.createProperty(objectType, wanted);
        checks.push({ objectType, name: wanted.name, status: 'created' });
        continue;
      }
      if (existing.type !== wanted.type) {
        checks.push({ objectType, name: wanted.name, status: 'wrong_type', detail: `is ${existing.type}, Reelay needs ${wanted.type}` });
        continue;
      }
      const missingOptions = (wanted.options ?? []).filter((o) => !(existing.options ?? []).some((e) => e.value === o.value)).map((o) => o.value);
      if (missingOptions.length > 0) {
        checks.push({ objectType, name: wanted.name, status: 'missing_options', detail: `lacks the option(s) ${missingOptions.join(', ')}` });
        continue;
      }
      checks.push({ objectType, name: wanted.name, status: 'exists' });
    }
  }
  return checks;
}
