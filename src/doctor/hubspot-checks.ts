/**
 * HubSpot: the token works, has the scopes campaigns need, and the
 * properties Reelay writes exist with the right types and options.
 *
 * The write probe is a batch update of record 0 with no properties.
 * HubSpot record ids start at 1, so no record is touched (and an update
 * with no properties would change nothing anyway), yet HubSpot checks the
 * token's write scope before it looks for the record: a 403 means the scope
 * is missing, and any other refusal ("object not found") means it is there.
 * It exercises the very endpoint and scope write-back uses, which a probe
 * on property definitions (a different scope) would not.
 */
import type { ObjectType, ReelayConfig } from '../config/schema.js';
import { objectTypeInfo } from '../core/object-types.js';
import { isProviderError, type ProviderError } from '../core/errors.js';
import type { HubSpotClient } from '../hubspot/types.js';
import { objectTypesRead } from '../engine/read-sources.js';
import { ensureCrmProperties, propertySetting, writebackObjects, type PropertyCheck } from '../setup/crm-properties.js';
import { providerFix } from '../setup/provider-fix.js';
import { fail, pass, type CheckOutcome } from './outcome.js';

/** An id HubSpot never gives a record. */
export const WRITE_PROBE_RECORD_ID = '0';

export interface HubSpotAccess {
  outcomes: CheckOutcome[];
  /** False when the token is missing or refused: checks that need it are skipped. */
  usable: boolean;
}

/** 401/403 say something about the token; anything else (5xx, 429, no answer) only that the probe could not run. */
function refusal(err: ProviderError): boolean {
  return err.status === 401 || err.status === 403;
}

function readTypes(config: ReelayConfig): ObjectType[] {
  const types = new Set<ObjectType>(config.campaigns.flatMap((c) => objectTypesRead(c)));
  return types.size === 0 ? ['contacts'] : [...types].sort();
}

export async function checkHubSpotAccess(client: HubSpotClient | null, config: ReelayConfig): Promise<HubSpotAccess> {
  if (client === null) {
    return { outcomes: [fail('HUBSPOT_ACCESS_TOKEN is not set', "set it to your HubSpot app's access token (a private app token works)")], usable: false };
  }
  const outcomes: CheckOutcome[] = [];
  for (const type of readTypes(config)) {
    try {
      await client.probe(type);
      outcomes.push(pass(`token can read ${type}`));
    } catch (err) {
      if (!isProviderError(err)) throw err;
      if (err.status === 401) return { outcomes: [fail(`HubSpot refused the token: ${err.describe()}`, providerFix(err))], usable: false };
      const what = refusal(err) ? `token cannot read ${type}` : `could not probe reading ${type}`;
      outcomes.push(fail(`${what}: ${err.describe()}`, providerFix(err, objectTypeInfo(type).scopes.read)));
    }
  }
  for (const type of writebackObjects(config)) {
    try {
      await client.batchUpdate(type, [{ id: WRITE_PROBE_RECORD_ID, properties: {} }]);
      outcomes.push(pass(`token can write ${type} (probed with an empty update of record 0, which cannot exist)`));
    } catch (err) {
      if (!isProviderError(err)) throw err;
      if (refusal(err)) {
        outcomes.push(fail(`token cannot write ${type}: ${err.describe()}`, providerFix(err, objectTypeInfo(type).scopes.write)));
      } else if (err.status === undefined || err.status === 429 || err.status >= 500) {
        outcomes.push(fail(`could not probe writing ${type}: ${err.describe()}`, providerFix(err)));
      } else {
        // HubSpot refused the row (no such record) after the scope check passed.
        outcomes.push(pass(`token can write ${type} (probed with an empty update of record 0, which cannot exist)`));
      }
    }
  }
  return { outcomes, usable: true };
}

function propertyOutcome(config: ReelayConfig, check: PropertyCheck): CheckOutcome | null {
  const what = `${check.objectType}.${check.name}`;
  switch (check.status) {
    case 'exists':
    case 'created':
      return null;
    case 'missing':
      return fail(`property ${what} is missing`, 'run `reelay setup` (it creates the properties and changes nothing else)');
    case 'wrong_type':
      return fail(
        `property ${what} ${check.detail ?? 'has the wrong type'}`,
        `point ${propertySetting(config, check.name)} in reelay.yaml at a new name and run \`reelay setup\`, or change the property in HubSpot (it may hold data: Reelay never alters it)`,
      );
    case 'missing_options':
      return fail(`property ${what} ${check.detail ?? 'lacks options'}`, 'add the option(s) to the property in HubSpot (Settings → Properties), with exactly these internal values');
  }
}

export async function checkCrmPropertyDefinitions(client: HubSpotClient, config: ReelayConfig): Promise<CheckOutcome[]> {
  const objects = writebackObjects(config);
  if (objects.length === 0) return [];
  let checks: PropertyCheck[];
  try {
    checks = await ensureCrmProperties(client, config, { create: false });
  } catch (err) {
    if (!isProviderError(err)) throw err;
    const scopes = objects.map((o) => objectTypeInfo(o).scopes.schemaRead).join(', ');
    return [fail(`cannot read the property definitions: ${err.describe()}`, providerFix(err, scopes))];
  }
  const outcomes: CheckOutcome[] = [];
  for (const type of objects) {
    const mine = checks.filter((c) => c.objectType === type);
    const problems = mine.map((c) => propertyOutcome(config, c)).filter((o): o is CheckOutcome => o !== null);
    if (problems.length === 0) outcomes.push(pass(`properties on ${type}: ${mine.map((c) => c.name).join(', ')}, with the right types`));
    outcomes.push(...problems);
  }
  return outcomes;
}
