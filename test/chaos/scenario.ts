/**
 * The chaos run's CRM: waves of records across the three seed campaigns,
 * a few with data unfit to render, and the triggers that start their videos.
 *
 * - bdr-intro: contacts become marketing-qualified (bulk change -> app
 *   subscription events); a repeat goes back to lead and qualifies again;
 * - onboarding: deals (each with a primary contact) move to closed won;
 *   a repeat reopens and closes them again;
 * - renewal: contacts sent by a workflow webhook (`?campaign=renewal`);
 *   a repeat sends the workflow again.
 *
 * Every record's trigger fires 1-3 times; on top of that the sandbox
 * delivers some subscription events twice and shuffles batches.
 */
import type { Random } from '../../src/core/clock.js';
import type { HubSpotSandbox } from '../../src/sandbox/index.js';
import type { DeliveryOutcome } from '../../src/sandbox/hubspot/webhooks/workflow-sender.js';

export type CampaignId = 'bdr-intro' | 'onboarding' | 'renewal';

export interface ChaosRecord {
  campaign: CampaignId;
  /** The record the video is for and whose properties Reelay writes. */
  objectType: 'contacts' | 'deals';
  objectId: string;
  /** False: the data is unfit (placeholder, missing), so Reelay must skip it with this reason. */
  fit: boolean;
  /** A pattern the `SKIPPED: ...` reason must match, for unfit records. */
  skipReason?: RegExp;
  /** How many times its trigger fires in one pass (1-3). */
  triggers: number;
}

export interface WaveSize {
  leads: number;
  deals: number;
  renewals: number;
}

/** The CI size: 10 waves of this give 150 + 80 + 80 renderable records. */
export const DEFAULT_WAVE: WaveSize = { leads: 15, deals: 8, renewals: 8 };

const DAY_MS = 86_400_000;
const FIRST_NAMES = ['Ava', 'Noah', 'Mia', 'Liam', 'Zoe', 'Ethan', 'Ines', 'Omar', 'Yuki', 'Lena', 'Ravi', 'Sofia', 'Jonas', 'Amara', 'Felix', 'Priya'];
const COMPANIES = ['Acme Corp', 'Globex', 'Initech', 'Umbrella Health', 'Stark Logistics', 'Wayne Analytics', 'Hooli', 'Vandelay Imports'];
const PACKAGES = ['Starter', 'Growth', 'Scale', 'Enterprise'];
const PLACEHOLDER_NAMES = ['n/a', 'TBD', ' unknown ', 'test', '-'];

export const CHAOS_SUBSCRIPTIONS = [
  { subscriptionType: 'contact.propertyChange', propertyName: 'lifecyclestage' },
  { subscriptionType: 'deal.propertyChange', propertyName: 'dealstage' },
];

function pick<T>(items: readonly T[], random: Random): T {
  return items[Math.floor(random() * items.length)] as T;
}

/** 1, 2 or 3, evenly. */
function triggerCount(random: Random): number {
  return 1 + Math.floor(random() * 3);
}

/**
 * Creates one wave of records (no trigger fires yet; creating a lead raises
 * only a `lifecyclestage = lead` event, which no campaign matches).
 * Unfit records come in some waves: a placeholder first name, a deal whose
 * primary contact has one, a renewal without a contract end date.
 */
export function seedWave(hubspot: HubSpotSandbox, random: Random, wave: number, size: WaveSize, now: number): ChaosRecord[] {
  const crm = hubspot.crm;
  const records: ChaosRecord[] = [];
  const person = (tag: string) => {
    const firstname = pick(FIRST_NAMES, random);
    return { firstname, lastname: `Chaos${tag}`, email: `${firstname.toLowerCase()}.${tag}@example.com`, company: pick(COMPANIES, random) };
  };

  const junkLead = wave % 3 === 1;
  for (let i = 0; i < size.leads + (junkLead ? 1 : 0); i += 1) {
    const fit = i < size.leads;
    const props: Record<string, string> = { ...person(`w${wave}l${i}`), lifecyclestage: 'lead', recent_conversion_event_name: 'Pricing page' };
    if (!fit) props.firstname = pick(PLACEHOLDER_NAMES, random);
    const id = crm.create('contacts', props).id;
    records.push({ campaign: 'bdr-intro', objectType: 'contacts', objectId: id, fit, triggers: triggerCount(random), ...(fit ? {} : { skipReason: /^SKIPPED: first_name: .*placeholder/ }) });
  }

  const junkDeal = wave % 4 === 2;
  for (let i = 0; i < size.deals + (junkDeal ? 1 : 0); i += 1) {
    const fit = i < size.deals;
    const props: Record<string, string> = { ...person(`w${wave}d${i}`), lifecyclestage: 'opportunity' };
    if (!fit) props.firstname = pick(PLACEHOLDER_NAMES, random);
    const contactId = crm.create('contacts', props).id;
    const pkg = pick(PACKAGES, random);
    const dealId = crm.create('deals', { dealname: `${props.company} - ${pkg} (${wave}.${i})`, dealstage: 'contractsent', pipeline: 'default', package_name: pkg }).id;
    crm.associate('deals', dealId, 'contacts', contactId, { primary: true });
    records.push({ campaign: 'onboarding', objectType: 'deals', objectId: dealId, fit, triggers: triggerCount(random), ...(fit ? {} : { skipReason: /^SKIPPED: first_name: .*placeholder/ }) });
  }

  const junkRenewal = wave % 4 === 3;
  for (let i = 0; i < size.renewals + (junkRenewal ? 1 : 0); i += 1) {
    const fit = i < size.renewals;
    const props: Record<string, string> = { ...person(`w${wave}r${i}`), lifecyclestage: 'customer' };
    if (fit) props.contract_end_date = new Date(now + (30 + Math.floor(random() * 60)) * DAY_MS).toISOString().slice(0, 10);
    const contactId = crm.create('contacts', props).id;
    const companyId = crm.create('companies', { name: props.company as string, usage_hours: String(40 + Math.floor(random() * 300)) }).id;
    crm.associate('contacts', contactId, 'companies', companyId, { primary: true });
    records.push({ campaign: 'renewal', objectType: 'contacts', objectId: contactId, fit, triggers: triggerCount(random), ...(fit ? {} : { skipReason: /^SKIPPED: renewal_date: / }) });
  }
  return records;
}

/**
 * Fires triggers. Subscription triggers are bulk changes; a repeat first
 * moves the record out of the trigger state (an event no campaign matches),
 * then back in. Workflow sends resolve after HubSpot's last retry; they are
 * collected so the run can wait for them.
 */
export class TriggerFirer {
  private readonly workflows: Promise<DeliveryOutcome>[] = [];
  private fired = 0;

  constructor(private readonly hubspot: HubSpotSandbox) {}

  get count(): number {
    return this.fired;
  }

  /** Fires one trigger for each record, in the given order; `repeat` for records that fired before. */
  fire(records: readonly ChaosRecord[], repeat: boolean): void {
    const crm = this.hubspot.crm;
    const leads = records.filter((r) => r.campaign === 'bdr-intro').map((r) => r.objectId);
    const deals = records.filter((r) => r.campaign === 'onboarding').map((r) => r.objectId);
    if (leads.length > 0) {
      if (repeat) crm.updateMany('contacts', leads.map((id) => ({ id, properties: { lifecyclestage: 'lead' } })));
      crm.updateMany('contacts', leads.map((id) => ({ id, properties: { lifecyclestage: 'marketingqualifiedlead' } })));
    }
    if (deals.length > 0) {
      if (repeat) crm.updateMany('deals', deals.map((id) => ({ id, properties: { dealstage: 'contractsent' } })));
      crm.updateMany('deals', deals.map((id) => ({ id, properties: { dealstage: 'closedwon' } })));
    }
    for (const record of records) {
      if (record.campaign !== 'renewal') continue;
      this.workflows.push(this.hubspot.webhooks.sendWorkflow({ objectType: 'contacts', objectId: record.objectId, campaign: 'renewal' }));
    }
    this.fired += records.length;
  }

  /** Resolves when every workflow webhook sent so far was delivered or given up. */
  async settle(): Promise<void> {
    await Promise.all(this.workflows);
  }
}
