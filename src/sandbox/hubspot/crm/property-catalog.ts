/**
 * The properties every sandbox portal starts with. To add one, append a line
 * to the object type's list; options are `value` or `[value, label]`.
 */
import type { SandboxObjectType } from './object-types.js';
import type { FieldType, PropertyType } from './property-types.js';

export interface CatalogEntry {
  name: string;
  label: string;
  type: PropertyType;
  fieldType?: FieldType;
  group?: string;
  options?: ReadonlyArray<string | readonly [string, string]>;
  readOnly?: boolean;
  defaultRead?: boolean;
}

export const defaultGroups: Record<SandboxObjectType, ReadonlyArray<{ name: string; label: string }>> = {
  contacts: [
    { name: 'contactinformation', label: 'Contact information' },
    { name: 'conversioninformation', label: 'Conversion information' },
  ],
  deals: [{ name: 'dealinformation', label: 'Deal information' }],
  companies: [{ name: 'companyinformation', label: 'Company information' }],
  tickets: [{ name: 'ticketinformation', label: 'Ticket information' }],
};

export const lifecycleStages = [
  ['subscriber', 'Subscriber'],
  ['lead', 'Lead'],
  ['marketingqualifiedlead', 'Marketing Qualified Lead'],
  ['salesqualifiedlead', 'Sales Qualified Lead'],
  ['opportunity', 'Opportunity'],
  ['customer', 'Customer'],
  ['evangelist', 'Evangelist'],
  ['other', 'Other'],
] as const;

export const leadStatuses = [
  ['NEW', 'New'],
  ['OPEN', 'Open'],
  ['IN_PROGRESS', 'In Progress'],
  ['OPEN_DEAL', 'Open Deal'],
  ['UNQUALIFIED', 'Unqualified'],
  ['ATTEMPTED_TO_CONTACT', 'Attempted to Contact'],
  ['CONNECTED', 'Connected'],
  ['BAD_TIMING', 'Bad Timing'],
] as const;

export const dealStages = [
  ['appointmentscheduled', 'Appointment Scheduled'],
  ['qualifiedtobuy', 'Qualified To Buy'],
  ['presentationscheduled', 'Presentation Scheduled'],
  ['decisionmakerboughtin', 'Decision Maker Bought-In'],
  ['contractsent', 'Contract Sent'],
  ['closedwon', 'Closed Won'],
  ['closedlost', 'Closed Lost'],
] as const;

/** The stages of the default support pipeline (`hs_pipeline` 0), as HubSpot numbers them. */
export const ticketStages = [
  ['1', 'New'],
  ['2', 'Waiting on contact'],
  ['3', 'Waiting on us'],
  ['4', 'Closed'],
] as const;

/** A subset of HubSpot's company industry values (the real list has ~150). */
export const companyIndustries = [
  ['ACCOUNTING', 'Accounting'],
  ['COMPUTER_SOFTWARE', 'Computer Software'],
  ['FINANCIAL_SERVICES', 'Financial Services'],
  ['HOSPITAL_HEALTH_CARE', 'Hospital & Health Care'],
  ['INFORMATION_TECHNOLOGY_AND_SERVICES', 'Information Technology and Services'],
  ['INTERNET', 'Internet'],
  ['MARKETING_AND_ADVERTISING', 'Marketing and Advertising'],
  ['MANAGEMENT_CONSULTING', 'Management Consulting'],
  ['RETAIL', 'Retail'],
  ['EDUCATION_MANAGEMENT', 'Education Management'],
  ['REAL_ESTATE', 'Real Estate'],
  ['TELECOMMUNICATIONS', 'Telecommunications'],
] as const;

const systemProperties = (modified: 'lastmodifieddate' | 'hs_lastmodifieddate'): CatalogEntry[] => [
  { name: 'hs_object_id', label: 'Record ID', type: 'number', readOnly: true, defaultRead: true },
  { name: 'createdate', label: 'Create Date', type: 'datetime', defaultRead: true },
  { name: modified, label: 'Last Modified Date', type: 'datetime', readOnly: true, defaultRead: true },
];

export const propertyCatalog: Record<SandboxObjectType, readonly CatalogEntry[]> = {
  contacts: [
    ...systemProperties('lastmodifieddate'),
    { name: 'firstname', label: 'First Name', type: 'string', defaultRead: true },
    { name: 'lastname', label: 'Last Name', type: 'string', defaultRead: true },
    { name: 'email', label: 'Email', type: 'string', defaultRead: true },
    { name: 'company', label: 'Company Name', type: 'string' },
    { name: 'jobtitle', label: 'Job Title', type: 'string' },
    { name: 'phone', label: 'Phone Number', type: 'string', fieldType: 'phonenumber' },
    { name: 'city', label: 'City', type: 'string' },
    { name: 'country', label: 'Country/Region', type: 'string' },
    { name: 'industry', label: 'Industry', type: 'string' },
    { name: 'website', label: 'Website URL', type: 'string' },
    { name: 'lifecyclestage', label: 'Lifecycle Stage', type: 'enumeration', fieldType: 'radio', options: lifecycleStages },
    { name: 'hs_lead_status', label: 'Lead Status', type: 'enumeration', fieldType: 'radio', options: leadStatuses },
    { name: 'recent_conversion_event_name', label: 'Recent Conversion', type: 'string', group: 'conversioninformation' },
    { name: 'recent_conversion_date', label: 'Recent Conversion Date', type: 'datetime', group: 'conversioninformation' },
    { name: 'contract_end_date', label: 'Contract End Date', type: 'date' },
    // HubSpot's "Preferred language" (a few of its options): the example's intro variants are chosen by it.
    { name: 'hs_language', label: 'Preferred language', type: 'enumeration', fieldType: 'select', options: [['en', 'English'], ['de', 'German'], ['es', 'Spanish'], ['fr', 'French']] },
  ],
  deals: [
    ...systemProperties('hs_lastmodifieddate'),
    { name: 'dealname', label: 'Deal Name', type: 'string', defaultRead: true },
    { name: 'dealstage', label: 'Deal Stage', type: 'enumeration', fieldType: 'radio', options: dealStages, defaultRead: true },
    { name: 'pipeline', label: 'Pipeline', type: 'enumeration', fieldType: 'select', options: [['default', 'Sales Pipeline']], defaultRead: true },
    { name: 'amount', label: 'Amount', type: 'number', defaultRead: true },
    { name: 'closedate', label: 'Close Date', type: 'datetime', defaultRead: true },
    { name: 'dealtype', label: 'Deal Type', type: 'enumeration', fieldType: 'radio', options: [['newbusiness', 'New Business'], ['existingbusiness', 'Existing Business']] },
    { name: 'package_name', label: 'Package Name', type: 'string' },
    { name: 'description', label: 'Deal Description', type: 'string', fieldType: 'textarea' },
  ],
  companies: [
    ...systemProperties('hs_lastmodifieddate'),
    { name: 'name', label: 'Company Name', type: 'string', defaultRead: true },
    { name: 'domain', label: 'Company Domain Name', type: 'string', defaultRead: true },
    { name: 'industry', label: 'Industry', type: 'enumeration', fieldType: 'select', options: companyIndustries },
    { name: 'city', label: 'City', type: 'string' },
    { name: 'country', label: 'Country/Region', type: 'string' },
    { name: 'numberofemployees', label: 'Number of Employees', type: 'number' },
    { name: 'contract_end_date', label: 'Contract End Date', type: 'date' },
    { name: 'usage_hours', label: 'Usage Hours', type: 'number' },
  ],
  tickets: [
    ...systemProperties('hs_lastmodifieddate'),
    { name: 'subject', label: 'Ticket name', type: 'string', defaultRead: true },
    { name: 'content', label: 'Ticket description', type: 'string', fieldType: 'textarea', defaultRead: true },
    { name: 'hs_pipeline', label: 'Pipeline', type: 'enumeration', fieldType: 'select', options: [['0', 'Support Pipeline']], defaultRead: true },
    { name: 'hs_pipeline_stage', label: 'Ticket status', type: 'enumeration', fieldType: 'select', options: ticketStages, defaultRead: true },
    { name: 'hs_ticket_priority', label: 'Priority', type: 'enumeration', fieldType: 'select', options: [['LOW', 'Low'], ['MEDIUM', 'Medium'], ['HIGH', 'High']], defaultRead: true },
    { name: 'hs_ticket_category', label: 'Category', type: 'string' },
  ],
};
