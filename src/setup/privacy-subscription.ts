/**
 * Whether Reelay subscribes to HubSpot's privacy deletions of contacts
 * (`contact.privacyDeletion` under the project's `hubEvents`; the journal's
 * `GDPR_DELETE` action): when `privacy.honorDeletionEvents` is on and some
 * campaign reads contacts, i.e. Reelay stores contact data at all (pure).
 */
import type { ReelayConfig } from '../config/schema.js';
import { objectTypeInfo } from '../core/object-types.js';
import { requiredScopes } from './required-scopes.js';

export const PRIVACY_DELETION_SUBSCRIPTION = 'contact.privacyDeletion';
export const JOURNAL_PRIVACY_ACTION = 'GDPR_DELETE';

export function subscribesToPrivacyDeletions(config: ReelayConfig): boolean {
  return config.privacy.honorDeletionEvents && requiredScopes(config).includes(objectTypeInfo('contacts').scopes.read);
}
