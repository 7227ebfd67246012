/**
 * Realistic, seeded CRM data for tests, the demo and benchmarks, including
 * the junk real portals hold ("N/A" names, missing first names).
 */
import type { Random } from '../../core/clock.js';
import type { CreateInput } from './crm/record-store.js';

const firstNames = [
  'Olivia', 'Liam', 'Emma', 'Noah', 'Ava', 'Oliver', 'Sophia', 'Elijah', 'Isabella', 'Lucas', 'Mia', 'Mateo', 'Amelia', 'Hiroshi',
  'Priya', 'Chen', 'Fatima', 'Santiago', 'Zoe', 'Jonas', 'Ingrid', 'Kwame', 'Aisha', 'Dmitri', 'Lena', 'Rafael', 'Yuki', 'Omar',
  'Chloé', 'Søren', 'José', 'Anaïs', 'Björn', 'Siobhan', 'Tomás', 'Mei', 'Arjun', 'Nadia', 'Felix', 'Grace',
];
const lastNames = [
  'Smith', 'Johnson', 'Garcia', 'Müller', 'Rossi', 'Nguyen', 'Kim', 'Patel', 'Okafor', 'Silva', 'Novak', 'Andersson', 'Dubois',
  'Kowalski', 'Tanaka', "O'Brien", 'Fernández', 'Schmidt', 'Haddad', 'Ivanova', 'Larsen', 'Moreau', 'Costa', 'Brown', 'Chen',
  'Wright', 'Lopez', 'Becker', 'Singh', 'Yamamoto', 'van der Berg', 'MacDonald',
];
const companies: ReadonlyArray<readonly [string, string, string]> = [
  ['Acme Analytics', 'acme-analytics.com', 'COMPUTER_SOFTWARE'],
  ['Northwind Traders', 'northwind.example', 'RETAIL'],
  ['Globex Corporation', 'globex.com', 'INFORMATION_TECHNOLOGY_AND_SERVICES'],
  ['Initech', 'initech.io', 'COMPUTER_SOFTWARE'],
  ['Umbrella Health', 'umbrella-health.com', 'HOSPITAL_HEALTH_CARE'],
  ['Stark Logistics', 'starklogistics.net', 'INFORMATION_TECHNOLOGY_AND_SERVICES'],
  ['Wayne Financial', 'waynefinancial.com', 'FINANCIAL_SERVICES'],
  ['Hooli', 'hooli.xyz', 'INTERNET'],
  ['Pied Piper', 'piedpiper.com', 'COMPUTER_SOFTWARE'],
  ['Vandelay Industries', 'vandelay.com', 'RETAIL'],
  ['Bluth Realty', 'bluthrealty.com', 'REAL_ESTATE'],
  ['Dunder Mifflin', 'dundermifflin.com', 'RETAIL'],
  ['Soylent Learning', 'soylent.edu', 'EDUCATION_MANAGEMENT'],
  ['Tyrell Telecom', 'tyrell.tel', 'TELECOMMUNICATIONS'],
  ['Cyberdyne Consulting', 'cyberdyne.consulting', 'MANAGEMENT_CONSULTING'],
  ['Oceanic Media', 'oceanicmedia.com', 'MARKETING_AND_ADVERTISING'],
];
const jobTitles = [
  'VP of Sales', 'Head of Marketing', 'Account Executive', 'Chief Revenue Officer', 'Sales Development Representative',
  'Marketing Manager', 'Customer Success Manager', 'CTO', 'Founder & CEO', 'Operations Director', 'Product Manager',
  'Demand Generation Lead', 'RevOps Analyst', 'Director of Partnerships',
];
const conversionEvents = ['Demo request', 'Pricing page form', 'Webinar: Video at scale', 'Ebook download', 'Free trial signup', 'Contact us'];
const placeholders = ['N/A', 'n/a', '-', 'test', 'Unknown', 'none', 'NULL', 'TBD'];
const earlyStages = ['subscriber', 'lead', 'lead', 'marketingqualifiedlead', 'salesqualifiedlead', 'opportunity', 'customer'];
const leadStatuses = ['NEW', 'OPEN', 'IN_PROGRESS', 'ATTEMPTED_TO_CONTACT', 'CONNECTED'];
const packages = ['Starter', 'Growth', 'Scale', 'Enterprise'];
const dealStages = ['appointmentscheduled', 'qualifiedtobuy', 'presentationscheduled', 'decisionmakerboughtin', 'contractsent', 'closedwon', 'closedlost'];
const dayMs = 86_400_000;
/** Used when no `now` is given, so the same seed always gives the same data. */
const defaultNow = Date.UTC(2026, 0, 1);

export interface ContactSeedOptions {
  /** Fraction of contacts with a placeholder ("N/A", "test", ...) in firstname, company or jobtitle. */
  junkRate?: number;
  /** Fraction of contacts with no firstname at all. */
  missingFirstnameRate?: number;
  /** Give every contact this lifecycle stage (default: a realistic mix). */
  lifecyclestage?: string;
  /** Reference time for dates such as contract_end_date (default 2026-01-01). */
  now?: number;
}

export function seedContacts(n: number, random: Random, opts: ContactSeedOptions = {}): CreateInput[] {
  const now = opts.now ?? defaultNow;
  const rows: CreateInput[] = [];
  for (let i = 0; i < n; i++) {
    const first = pick(firstNames, random);
    const last = pick(lastNames, random);
    const [company, domain] = pick(companies, random);
    const properties: Record<string, string> = {
      firstname: first,
      lastname: last,
      email: `${slug(first)}.${slug(last)}.${i + 1}@${domain}`,
      company,
      jobtitle: pick(jobTitles, random),
      lifecyclestage: opts.lifecyclestage ?? pick(earlyStages, random),
      hs_lead_status: pick(leadStatuses, random),
      recent_conversion_event_name: pick(conversionEvents, random),
      contract_end_date: dateOnly(now + Math.floor(random() * 180) * dayMs),
    };
    if (random() < (opts.junkRate ?? 0)) {
      properties[pick(['firstname', 'company', 'jobtitle'] as const, random)] = pick(placeholders, random);
    }
    if (random() < (opts.missingFirstnameRate ?? 0)) delete properties.firstname;
    rows.push({ properties });
  }
  return rows;
}

export function seedCompanies(n: number, random: Random, opts: { now?: number } = {}): CreateInput[] {
  const now = opts.now ?? defaultNow;
  return Array.from({ length: n }, (_, i) => {
    const [name, domain, industry] = companies[i % companies.length] ?? pick(companies, random);
    const suffix = i < companies.length ? '' : ` ${Math.floor(i / companies.length) + 1}`;
    return {
      properties: {
        name: `${name}${suffix}`,
        domain: suffix === '' ? domain : `${slug(suffix.trim())}.${domain}`,
        industry,
        numberofemployees: String(10 + Math.floor(random() * 5000)),
        usage_hours: String(Math.floor(random() * 400)),
        contract_end_date: dateOnly(now + Math.floor(random() * 365) * dayMs),
      },
    };
  });
}

export function seedDeals(n: number, random: Random, opts: { now?: number } = {}): CreateInput[] {
  const now = opts.now ?? defaultNow;
  return Array.from({ length: n }, () => {
    const pkg = pick(packages, random);
    const [company] = pick(companies, random);
    return {
      properties: {
        dealname: `${company} - ${pkg}`,
        dealstage: pick(dealStages, random),
        pipeline: 'default',
        amount: String(1000 * (1 + Math.floor(random() * 100))),
        package_name: pkg,
        closedate: new Date(now + Math.floor(random() * 90) * dayMs).toISOString(),
      },
    };
  });
}

function pick<T>(items: readonly T[], random: Random): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

function slug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');
}

function dateOnly(ms: number): string {
  return new Date(ms - (ms % dayMs)).toISOString().slice(0, 10);
}
