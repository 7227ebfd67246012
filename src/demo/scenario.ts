/**
 * The demo's CRM: 25 contacts across the three seed use cases, some with the
 * junk real CRMs hold, and the triggers that start their videos.
 *
 * - qualified lead -> intro video: 10 contacts become marketing-qualified
 *   (an import-style bulk change raising subscription events, in HubSpot's
 *   generic `object.propertyChange` form, as apps on its 2026.03 platform get them);
 * - closed won -> onboarding video: 8 deals, each with its primary contact,
 *   move to closed won;
 * - renewal: 7 contacts whose contract ends in 60 days are sent by a
 *   workflow webhook (`?campaign=renewal`).
 */
import type { ReelayConfig } from '../config/schema.js';
import type { Random } from '../core/clock.js';
import { manualIngestItem } from '../manual/manual-event.js';
import type { HubSpotSandbox } from '../sandbox/index.js';
import type { Service } from '../service.js';
import { receive } from '../engine/lifecycle.js';

const DAY_MS = 86_400_000;
const firstNames = ['Ava', 'Noah', 'Mia', 'Liam', 'Zoe', 'Ethan', 'Ines', 'Omar', 'Yuki', 'Lena', 'Ravi', 'Sofia', 'Jonas', 'Amara', 'Felix'];
const companies = ['Acme Corp', 'Globex', 'Initech', 'Umbrella Health', 'Stark Logistics', 'Wayne Analytics', 'Hooli', 'Vandelay Imports'];
const packages = ['Starter', 'Growth', 'Scale', 'Enterprise'];

export interface DemoScenario {
  leads: string[];
  deals: string[];
  renewals: string[];
  /** Records whose data is unfit to render, with the reason Reelay should give. */
  unfit: number;
}

/** As a 2026.03 project's `webhooks-hsmeta.json` declares them. */
export const DEMO_SUBSCRIPTIONS = [
  { subscriptionType: 'object.propertyChange', objectType: 'contact', propertyName: 'lifecyclestage' },
  { subscriptionType: 'object.propertyChange', objectType: 'deal', propertyName: 'dealstage' },
];

function pick<T>(items: readonly T[], random: Random): T {
  return items[Math.floor(random() * items.length)] as T;
}

function dateOnly(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Creates the records (no triggers yet). */
export function seedDemo(hubspot: HubSpotSandbox, random: Random, now: number): DemoScenario {
  const crm = hubspot.crm;
  const contact = (props: Record<string, string>) => crm.create('contacts', props).id;
  const person = (i: number) => {
    const firstname = pick(firstNames, random);
    return { firstname, lastname: `Demo${i}`, email: `${firstname.toLowerCase()}.demo${i}@example.com`, company: pick(companies, random) };
  };

  const leads: string[] = [];
  for (let i = 0; i < 10; i += 1) {
    const props: Record<string, string> = { ...person(i), lifecyclestage: 'lead', recent_conversion_event_name: 'Pricing page demo request' };
    if (i === 3) props.firstname = 'N/A';
    if (i === 7) delete props.firstname;
    leads.push(contact(props));
  }

  const deals: string[] = [];
  for (let i = 0; i < 8; i += 1) {
    const props: Record<string, string> = { ...person(10 + i), lifecyclestage: 'opportunity' };
    if (i === 5) props.firstname = 'test';
    const contactId = contact(props);
    const pkg = pick(packages, random);
    const dealId = crm.create('deals', { dealname: `${props.company} - ${pkg}`, dealstage: 'contractsent', pipeline: 'default', package_name: pkg, amount: '12000' }).id;
    crm.associate('deals', dealId, 'contacts', contactId, { primary: true });
    deals.push(dealId);
  }

  const renewals: string[] = [];
  for (let i = 0; i < 7; i += 1) {
    const props: Record<string, string> = { ...person(18 + i), lifecyclestage: 'customer', contract_end_date: dateOnly(now + 60 * DAY_MS) };
    if (i === 4) delete props.contract_end_date;
    const contactId = contact(props);
    const companyId = crm.create('companies', { name: props.company as string, usage_hours: String(40 + Math.floor(random() * 300)) }).id;
    crm.associate('contacts', contactId, 'companies', companyId, { primary: true });
    renewals.push(contactId);
  }
  return { leads, deals, renewals, unfit: 4 };
}

/** Fires every trigger: two bulk changes (subscription events) and one workflow webhook per renewal. */
export async function fireDemoTriggers(hubspot: HubSpotSandbox, scenario: DemoScenario): Promise<void> {
  hubspot.webhooks.setSubscriptions(DEMO_SUBSCRIPTIONS);
  hubspot.crm.updateMany('contacts', scenario.leads.map((id) => ({ id, properties: { lifecyclestage: 'marketingqualifiedlead' } })));
  hubspot.crm.updateMany('deals', scenario.deals.map((id) => ({ id, properties: { dealstage: 'closedwon' } })));
  await Promise.all(
    scenario.renewals.map((objectId) => hubspot.webhooks.sendWorkflow({ objectType: 'contacts', objectId, campaign: 'renewal' })),
  );
}

/**
 * Journal mode: the same CRM changes (they reach Reelay through the Webhooks
 * Journal); the renewals, which a workflow webhook would start, are queued
 * as `reelay backfill` queues them.
 */
export async function fireJournalDemoTriggers(hubspot: HubSpotSandbox, scenario: DemoScenario, service: Service, config: ReelayConfig): Promise<void> {
  hubspot.crm.updateMany('contacts', scenario.leads.map((id) => ({ id, properties: { lifecyclestage: 'marketingqualifiedlead' } })));
  hubspot.crm.updateMany('deals', scenario.deals.map((id) => ({ id, properties: { dealstage: 'closedwon' } })));
  const renewal = config.campaigns.find((c) => c.id === 'renewal');
  if (renewal === undefined) return;
  const at = Date.now();
  await receive(service.store, scenario.renewals.map((id) => manualIngestItem(config, renewal, id, { by: 'backfill', at })), at);
  service.engine.wake('enrich');
}
