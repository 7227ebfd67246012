import { describe, expect, it } from 'vitest';
import { configSchema, type CampaignConfig } from '../../src/config/schema.js';
import { heygenVariablesBody, mapVariables, MAX_TITLE_LENGTH, requiredProperties, type Sources } from '../../src/core/variables.js';

function campaign(input: Record<string, unknown>): CampaignConfig {
  const parsed = configSchema.parse({ campaigns: [{ id: 'c1', template: 'tpl_1', ...input }] }).campaigns[0];
  if (!parsed) throw new Error('campaign fixture did not parse');
  return parsed;
}

const validation = { placeholders: ['n/a', 'na', '-', 'test', 'unknown', 'none', 'null', 'tbd'], maxLength: 200 };

const intro = campaign({
  title: 'Intro for {{firstname}} at {{company}}',
  variables: {
    first_name: { property: 'firstname', required: true },
    company_name: { property: 'company', fallback: 'your team' },
  },
});

function map(c: CampaignConfig, sources: Sources, rules = validation) {
  return mapVariables(c, sources, rules);
}

describe('mapVariables', () => {
  it('maps properties to variables and renders the title', () => {
    expect(map(intro, { record: { firstname: 'Ada', company: 'Acme' } })).toEqual({
      ok: true,
      variables: { first_name: 'Ada', company_name: 'Acme' },
      title: 'Intro for Ada at Acme',
    });
  });

  it('trims values', () => {
    const out = map(intro, { record: { firstname: '  Ada \n', company: '\tAcme ' } });
    expect(out).toMatchObject({ ok: true, variables: { first_name: 'Ada', company_name: 'Acme' } });
  });

  it.each([
    ['missing', {}],
    ['null', { company: null }],
    ['blank', { company: '   ' }],
    ['a placeholder', { company: 'N/A' }],
    ['a placeholder with spaces and odd case', { company: '  TbD ' }],
  ])('uses the fallback when the value is %s', (_what, props) => {
    const out = map(intro, { record: { firstname: 'Ada', ...props } });
    expect(out).toMatchObject({ ok: true, variables: { company_name: 'your team' } });
  });

  it('fails a required variable whose property is a placeholder, quoting it', () => {
    expect(map(intro, { record: { firstname: 'N/A', company: 'Acme' } })).toEqual({
      ok: false,
      reason: 'first_name: property firstname is a placeholder ("N/A")',
      variable: 'first_name',
    });
  });

  it('fails a required variable whose property is missing, null or blank', () => {
    expect(map(intro, { record: { company: 'Acme' } })).toMatchObject({ ok: false, reason: 'first_name: property firstname is missing' });
    expect(map(intro, { record: { firstname: null } })).toMatchObject({ ok: false, reason: 'first_name: property firstname is missing' });
    expect(map(intro, { record: { firstname: ' ' } })).toMatchObject({ ok: false, reason: 'first_name: property firstname is blank' });
  });

  it('uses the configured placeholder list, compared trimmed and case-insensitively', () => {
    const rules = { placeholders: ['  Sample  '], maxLength: 200 };
    expect(map(intro, { record: { firstname: 'sample' } }, rules)).toMatchObject({ ok: false, variable: 'first_name' });
    expect(map(intro, { record: { firstname: 'N/A' } }, rules)).toMatchObject({ ok: true, variables: { first_name: 'N/A' } });
  });

  it('lets a required variable with a fallback succeed', () => {
    const c = campaign({ variables: { first_name: { property: 'firstname', required: true, fallback: 'there' } } });
    expect(map(c, { record: { firstname: 'unknown' } })).toMatchObject({ ok: true, variables: { first_name: 'there' } });
  });

  it('sends an optional variable without value or fallback as empty text', () => {
    const c = campaign({ variables: { nickname: { property: 'nickname' } } });
    expect(map(c, { record: {} })).toMatchObject({ ok: true, variables: { nickname: '' } });
  });

  it('fails a value over the global maxLength, naming the variable and the lengths', () => {
    const out = map(intro, { record: { firstname: 'A'.repeat(201), company: 'Acme' } });
    expect(out).toEqual({ ok: false, reason: 'first_name: value is 201 characters, over the limit of 200', variable: 'first_name' });
  });

  it('prefers the variable maxLength over the global one, and checks fallbacks too', () => {
    const c = campaign({ variables: { company_name: { property: 'company', maxLength: 5, fallback: 'your team' } } });
    expect(map(c, { record: { company: 'Acme' } })).toMatchObject({ ok: true });
    expect(map(c, { record: { company: 'Acme Corp' } })).toMatchObject({
      ok: false,
      reason: 'company_name: value is 9 characters, over the limit of 5, and so is the fallback (9 characters)',
    });
    expect(map(c, { record: {} })).toMatchObject({ ok: false, reason: 'company_name: fallback is 9 characters, over the limit of 5' });
  });

  it('uses the fallback of an optional variable whose value is too long, instead of skipping the render', () => {
    const c = campaign({ variables: { company_name: { property: 'company', maxLength: 10, fallback: 'your team' } } });
    expect(map(c, { record: { company: 'Acme Corporation International' } })).toMatchObject({ ok: true, variables: { company_name: 'your team' } });
  });

  it('still fails a required variable whose value is too long: its fallback only stands in for a missing value', () => {
    const c = campaign({ variables: { first_name: { property: 'firstname', required: true, maxLength: 5, fallback: 'there' } } });
    expect(map(c, { record: { firstname: 'Bartholomew' } })).toMatchObject({
      ok: false,
      reason: 'first_name: value is 11 characters, over the limit of 5',
    });
  });

  it('counts characters, not UTF-16 units', () => {
    const c = campaign({ variables: { emoji: { property: 'x', maxLength: 2 } } });
    expect(map(c, { record: { x: '😀😀' } })).toMatchObject({ ok: true });
  });

  it('reads `from` sources, naming them in reasons', () => {
    const c = campaign({
      object: 'deals',
      variables: {
        first_name: { property: 'firstname', from: 'recipient', required: true },
        deal: { property: 'dealname' },
        company_name: { property: 'name', from: 'company' },
      },
    });
    const ok = map(c, { record: { dealname: 'Big' }, recipient: { firstname: 'Ada' }, company: { name: 'Acme' } });
    expect(ok).toMatchObject({ ok: true, variables: { first_name: 'Ada', deal: 'Big', company_name: 'Acme' } });
    expect(map(c, { record: { dealname: 'Big' }, recipient: { firstname: '-' } })).toMatchObject({
      ok: false,
      reason: 'first_name: property recipient.firstname is a placeholder ("-")',
    });
    expect(map(c, { record: {} })).toMatchObject({ ok: false, reason: 'first_name: property recipient.firstname is missing (no recipient found)' });
  });

  it('renders template variables from the default and named scopes', () => {
    const c = campaign({
      variables: { greeting: { template: 'Hi {{ firstname }} about {{deal.dealname}}', required: true } },
    });
    expect(map(c, { record: { firstname: 'Ada' }, deal: { dealname: 'Big' } })).toMatchObject({
      ok: true,
      variables: { greeting: 'Hi Ada about Big' },
    });
  });

  it('treats a template with any unusable property as unusable', () => {
    const c = campaign({
      variables: {
        greeting: { template: 'Hi {{firstname}}', fallback: 'Hi there' },
        strict: { template: '{{firstname}} {{lastname}}', required: true },
      },
    });
    expect(map(c, { record: { firstname: 'Ada', lastname: 'Lovelace' } })).toMatchObject({
      ok: true,
      variables: { greeting: 'Hi Ada', strict: 'Ada Lovelace' },
    });
    expect(map(c, { record: { firstname: 'Ada', lastname: 'n/a' } })).toMatchObject({
      ok: false,
      reason: 'strict: property lastname is a placeholder ("n/a")',
    });
    expect(map(c, { record: { lastname: 'L' } })).toMatchObject({ ok: false, reason: 'strict: property firstname is missing' });
    const fallback = map(campaign({ variables: { greeting: { template: 'Hi {{firstname}}', fallback: 'Hi there' } } }), { record: {} });
    expect(fallback).toMatchObject({ ok: true, variables: { greeting: 'Hi there' } });
  });

  it('uses the variable `from` as the default scope of its template', () => {
    const c = campaign({ variables: { who: { template: '{{firstname}}', from: 'contact' } } });
    expect(map(c, { record: { firstname: 'Wrong' }, contact: { firstname: 'Right' } })).toMatchObject({ variables: { who: 'Right' } });
  });
});

describe('title', () => {
  it('renders missing title values as empty text without failing', () => {
    const out = map(intro, { record: { firstname: 'Ada' } });
    expect(out).toMatchObject({ ok: true, title: 'Intro for Ada at' });
  });

  it('uses raw values, placeholders included, and collapses whitespace', () => {
    const out = map(intro, { record: { firstname: 'Ada', company: ' N/A ' } });
    expect(out).toMatchObject({ ok: true, title: 'Intro for Ada at N/A' });
  });

  it('defaults to the record id', () => {
    const c = campaign({ variables: {} });
    expect(map(c, { record: { hs_object_id: '501' } })).toMatchObject({ ok: true, title: '501' });
  });

  it('falls back to the campaign id when it renders empty', () => {
    const c = campaign({ title: '{{nothing}}', variables: {} });
    expect(map(c, { record: {} })).toMatchObject({ ok: true, title: 'c1' });
  });

  it('is truncated to 255 characters rather than failing', () => {
    const c = campaign({ title: '{{long}}', variables: {} });
    const out = map(c, { record: { long: 'x'.repeat(400) } });
    expect(out.ok).toBe(true);
    if (out.ok) expect(out.title).toHaveLength(MAX_TITLE_LENGTH);
  });

  it('reads dotted names from the other sources', () => {
    const c = campaign({ title: '{{deal.dealname}} / {{firstname}}', variables: {} });
    expect(map(c, { record: { firstname: 'Ada' }, deal: { dealname: 'Big' } })).toMatchObject({ title: 'Big / Ada' });
  });
});

describe('requiredProperties', () => {
  it('lists per source the properties of variables, templates and title, sorted and deduplicated', () => {
    const c = campaign({
      object: 'deals',
      title: '{{dealname}} for {{recipient.firstname}}',
      variables: {
        first_name: { property: 'firstname', from: 'recipient' },
        deal: { property: 'dealname' },
        amount: { template: '{{ amount }} {{deal_currency_code}}' },
        company_name: { template: '{{name}} ({{record.dealname}})', from: 'company' },
        owner: { property: 'hubspot_owner_id', from: 'contact' },
      },
    });
    expect(requiredProperties(c)).toEqual({
      record: ['amount', 'deal_currency_code', 'dealname'],
      recipient: ['firstname'],
      contact: ['hubspot_owner_id'],
      deal: [],
      company: ['name'],
      ticket: [],
    });
  });

  it('includes hs_object_id for the default title', () => {
    expect(requiredProperties(campaign({ variables: {} })).record).toEqual(['hs_object_id']);
  });
});

describe('heygenVariablesBody', () => {
  it('builds the HeyGen variables shape', () => {
    expect(heygenVariablesBody({ first_name: 'John', company_name: 'Acme' })).toEqual({
      first_name: { name: 'first_name', type: 'text', properties: { content: 'John' } },
      company_name: { name: 'company_name', type: 'text', properties: { content: 'Acme' } },
    });
  });

  it('is empty for no variables', () => {
    expect(heygenVariablesBody({})).toEqual({});
  });
});
