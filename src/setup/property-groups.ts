/**
 * The property group Reelay's properties live in ("Video Automation"), on
 * every object type campaigns write to. Read first; created only when absent.
 */
import type { ReelayConfig } from '../config/schema.js';
import type { HubSpotClient } from '../hubspot/types.js';
import { writebackObjects } from './crm-properties.js';

export interface GroupOutcome {
  objectType: string;
  name: string;
  status: 'created' | 'exists';
}

export async function ensurePropertyGroups(client: HubSpotClient, config: ReelayConfig): Promise<GroupOutcome[]> {
  const { group, groupLabel } = config.hubspot.properties;
  const outcomes: GroupOutcome[] = [];
  for (const objectType of writebackObjects(config)) {
    if (await client.getPropertyGroup(objectType, group)) {
      outcomes.push({ objectType, name: group, status: 'exists' });
      continue;
    }
    await client.createPropertyGroup(objectType, { name: group, label: groupLabel });
    outcomes.push({ objectType, name: group, status: 'created' });
  }
  return outcomes;
}
