/** `backfill --filter`: the text a user types, read into HubSpot search filters. */
import { describe, expect, it } from 'vitest';
import { FilterSyntaxError, parseFilter } from '../../src/manual/filter.js';

describe('backfill --filter', () => {
  it('reads =, !=, > and <=, conditions joined by commas', () => {
    expect(parseFilter('lifecyclestage=customer, hs_lead_status!=BAD_TIMING,amount>1000,amount<=5000')).toEqual([
      { propertyName: 'lifecyclestage', operator: 'EQ', value: 'customer' },
      { propertyName: 'hs_lead_status', operator: 'NEQ', value: 'BAD_TIMING' },
      { propertyName: 'amount', operator: 'GT', value: '1000' },
      { propertyName: 'amount', operator: 'LTE', value: '5000' },
    ]);
  });

  it('reads the other comparisons and the has-a-value tests', () => {
    expect(parseFilter('closedate>=2026-01-01,num<3,email~,phone!~')).toEqual([
      { propertyName: 'closedate', operator: 'GTE', value: '2026-01-01' },
      { propertyName: 'num', operator: 'LT', value: '3' },
      { propertyName: 'email', operator: 'HAS_PROPERTY' },
      { propertyName: 'phone', operator: 'NOT_HAS_PROPERTY' },
    ]);
  });

  it('keeps a value as written, = signs and spaces inside included', () => {
    expect(parseFilter('jobtitle = Head of Sales')).toEqual([{ propertyName: 'jobtitle', operator: 'EQ', value: 'Head of Sales' }]);
    expect(parseFilter('utm=a=b')).toEqual([{ propertyName: 'utm', operator: 'EQ', value: 'a=b' }]);
  });

  it.each([
    ['', /the filter is empty/],
    ['lifecyclestage', /cannot read "lifecyclestage"/],
    ['lifecyclestage=', /has no value \(for "has no value" write lifecyclestage!~\)/],
    ['email~x', /~ takes no value/],
    ['a=1,,b=2', /empty condition/],
    ['first name=Ada', /cannot read "first name=Ada"/],
    ['a=1,b=2,c=3,d=4,e=5,f=6', /at most 5 conditions \(got 6\)/],
  ])('refuses %j', (text, message) => {
    expect(() => parseFilter(text)).toThrow(FilterSyntaxError);
    expect(() => parseFilter(text)).toThrow(message);
  });
});
