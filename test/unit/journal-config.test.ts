/**
 * `hubspot.intake: journal` configuration: HUBSPOT_CLIENT_ID becomes
 * required (one line naming it), the journal subscriptions follow the
 * campaigns' triggers (CREATE only where a created record can trigger).
 */
import { describe, expect, it } from 'vitest';
import { loadEnv, requireJournalClientId } from '../../src/config/env.js';
import { parseConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/core/errors.js';
import { plannedJournalSubscriptions } from '../../src/setup/journal-subscriptions.js';
import { TEST_CONFIG } from '../helpers/harness.js';

const baseEnv = { HUBSPOT_ACCESS_TOKEN: 'pat-x', HUBSPOT_CLIENT_SECRET: 'secret-value', HEYGEN_API_KEY: 'hg', HEYGEN_WEBHOOK_SECRET: 'whsec_abc' };

describe('journal configuration', () => {
  it('defaults to webhooks; journal makes HUBSPOT_CLIENT_ID required with one line naming it', () => {
    expect(parseConfig(TEST_CONFIG, {}, 't').hubspot.intake).toBe('webhooks');
    const env = loadEnv(baseEnv, { hubspot: true, heygen: true });
    expect(requireJournalClientId(env, 'webhooks')).toBeUndefined();
    expect(() => requireJournalClientId(env, 'journal')).toThrow(ConfigError);
    expect(() => requireJournalClientId(env, 'journal')).toThrow(/^HUBSPOT_CLIENT_ID is required when hubspot.intake is journal/);
    expect(requireJournalClientId(loadEnv({ ...baseEnv, HUBSPOT_CLIENT_ID: ' app-1 ' }), 'journal')).toBe('app-1');
  });

  it('plans one subscription per object type with the trigger properties; changedTo needs no CREATE', () => {
    const config = parseConfig(
      `${TEST_CONFIG}
  - id: churn
    object: contacts
    trigger: { property: hs_lead_status, changedTo: BAD_TIMING }
    template: tpl_churn
    variables: { first_name: { property: firstname } }
  - id: big-company
    object: companies
    trigger: { property: numberofemployees, changedTo: "1000" }
    template: tpl_big
    variables: { name: { property: name } }
`,
      {},
      't',
    );
    expect(plannedJournalSubscriptions(config)).toEqual([
      { objectType: 'companies', objectTypeId: '0-2', actions: ['UPDATE'], properties: ['numberofemployees'] },
      // GDPR_DELETE: privacy deletions of contacts (privacy.honorDeletionEvents, default on).
      { objectType: 'contacts', objectTypeId: '0-1', actions: ['CREATE', 'GDPR_DELETE', 'UPDATE'], properties: ['hs_lead_status', 'lifecyclestage'] },
      { objectType: 'deals', objectTypeId: '0-3', actions: ['CREATE', 'UPDATE'], properties: ['dealstage'] },
    ]);
  });
});
