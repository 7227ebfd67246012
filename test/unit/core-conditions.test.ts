import { describe, expect, it } from 'vitest';
import { checkConditions } from '../../src/core/conditions.js';

const placeholders = ['n/a', 'test'];

describe('conditions on a record', () => {
  const record = { lifecyclestage: 'Customer', hs_lead_status: 'OPEN', firstname: ' N/A ', email: null };

  it('in / notIn / equals / notEquals compare trimmed and case-insensitively', () => {
    expect(checkConditions([{ property: 'lifecyclestage', in: ['customer', 'evangelist'] }], record, placeholders)).toEqual({ ok: true });
    expect(checkConditions([{ property: 'hs_lead_status', notIn: ['UNQUALIFIED'] }], record, placeholders)).toEqual({ ok: true });
    expect(checkConditions([{ property: 'hs_lead_status', notIn: ['open'] }], record, placeholders)).toEqual({ ok: false, reason: 'hs_lead_status is "OPEN"' });
    expect(checkConditions([{ property: 'lifecyclestage', equals: 'lead' }], record, placeholders)).toEqual({
      ok: false,
      reason: 'lifecyclestage is "Customer", not "lead"',
    });
    expect(checkConditions([{ property: 'lifecyclestage', notEquals: 'lead' }], record, placeholders)).toEqual({ ok: true });
  });

  it('exists means a usable value: placeholders and blanks do not count', () => {
    expect(checkConditions([{ property: 'firstname', exists: true }], record, placeholders)).toEqual({ ok: false, reason: 'firstname has no usable value (" N/A ")' });
    expect(checkConditions([{ property: 'email', exists: false }], record, placeholders)).toEqual({ ok: true });
    expect(checkConditions([{ property: 'lifecyclestage', exists: true }], record, placeholders)).toEqual({ ok: true });
  });

  it('reports the first failing condition', () => {
    const result = checkConditions(
      [
        { property: 'lifecyclestage', in: ['customer'] },
        { property: 'hs_lead_status', equals: 'NEW' },
        { property: 'email', exists: true },
      ],
      record,
      placeholders,
    );
    expect(result).toEqual({ ok: false, reason: 'hs_lead_status is "OPEN", not "NEW"' });
  });
});
