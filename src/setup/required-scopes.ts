/**
 * The HubSpot scopes Reelay needs for a configuration, derived from its
 * campaigns (pure). Used by `setup --hubspot-project` (the app's
 * `requiredScopes`) and by `doctor` (which names the missing ones).
 *
 * Scope names come from the object-type table (`src/core/object-types.ts`):
 * `crm.objects.contacts.read` and the like, but tickets use `tickets`.
 *
 * - `crm.objects.{type}.read` for every object a campaign reads: its own
 *   object, recipient contacts, and every `from:` contact/deal/company
 *   (associations are read with the read scopes of both sides).
 * - `crm.objects.{type}.write` for the campaign's object (write-back, and
 *   doctor's write probe), and contacts when a deal/company campaign writes
 *   to its recipient contacts.
 * - `crm.schemas.{type}.read` and `.write` where `setup` creates the
 *   property group and properties.
 * - For a campaign with `note: true`: the notes API's scopes, which HubSpot's
 *   notes guide gives as `crm.objects.contacts.read` (the search that finds
 *   a note again) and `crm.objects.contacts.write` (the create), whatever
 *   record the note is on (docs/api-notes/notes.md).
 * Journal and other features add their scopes here when they exist.
 */
import type { CampaignConfig, ObjectType, ReelayConfig } from '../config/schema.js';
import { objectTypeInfo } from '../core/object-types.js';
import { objectTypesRead } from '../engine/read-sources.js';
import { writebackObjects } from './crm-properties.js';

/** HubSpot's template for a static-auth app lists `oauth` among its required scopes. */
export const BASE_APP_SCOPES = ['oauth'] as const;

function writesRecipientContacts(campaign: CampaignConfig): boolean {
  return campaign.object !== 'contacts' && campaign.recipients.to === 'contacts' && campaign.writeback !== 'record';
}

function objectsRead(campaign: CampaignConfig): ObjectType[] {
  const types = new Set<ObjectType>(objectTypesRead(campaign));
  if (campaign.object !== 'contacts' && campaign.recipients.to === 'contacts') types.add('contacts');
  return [...types];
}

/** The campaign's own object always (setup and doctor's write probe use it), and recipient contacts when written to. */
function objectsWritten(campaign: CampaignConfig): ObjectType[] {
  return writesRecipientContacts(campaign) ? [campaign.object, 'contacts'] : [campaign.object];
}

/** Sorted and without duplicates; empty when no campaign is configured. */
export function requiredScopes(config: ReelayConfig): string[] {
  const scopes = new Set<string>();
  for (const campaign of config.campaigns) {
    for (const type of objectsRead(campaign)) scopes.add(objectTypeInfo(type).scopes.read);
    for (const type of objectsWritten(campaign)) scopes.add(objectTypeInfo(type).scopes.write);
    if (campaign.note) {
      scopes.add(objectTypeInfo('contacts').scopes.read);
      scopes.add(objectTypeInfo('contacts').scopes.write);
    }
  }
  for (const type of writebackObjects(config)) {
    scopes.add(objectTypeInfo(type).scopes.schemaRead);
    scopes.add(objectTypeInfo(type).scopes.schemaWrite);
  }
  return [...scopes].sort();
}

/** The required scopes that `granted` lacks, in order. */
export function missingScopes(required: readonly string[], granted: readonly string[]): string[] {
  const have = new Set(granted);
  return required.filter((scope) => !have.has(scope));
}
