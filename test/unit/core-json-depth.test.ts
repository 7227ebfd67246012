import { describe, expect, it } from 'vitest';
import { jsonTextTooDeep, MAX_JSON_DEPTH, valueHasNul, valueTooDeep } from '../../src/core/json-depth.js';
import { parseHubSpotDelivery } from '../../src/hubspot/delivery.js';

const arrays = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;

function nestedValue(depth: number): unknown {
  let value: unknown = 0;
  for (let i = 0; i < depth; i++) value = i % 2 === 0 ? [value] : { a: value };
  return value;
}

describe('JSON depth limit', () => {
  it('counts arrays and objects, 64 levels pass and 65 do not', () => {
    expect(MAX_JSON_DEPTH).toBe(64);
    expect(jsonTextTooDeep('0')).toBe(false);
    expect(jsonTextTooDeep('{}')).toBe(false);
    expect(jsonTextTooDeep(arrays(64))).toBe(false);
    expect(jsonTextTooDeep(arrays(65))).toBe(true);
    expect(jsonTextTooDeep(`{"a":${arrays(63)}}`)).toBe(false);
    expect(jsonTextTooDeep(`{"a":${arrays(64)}}`)).toBe(true);
    expect(jsonTextTooDeep(`[${arrays(63)},${arrays(63)}]`)).toBe(false);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(jsonTextTooDeep(JSON.stringify({ a: '['.repeat(1000) }))).toBe(false);
    expect(jsonTextTooDeep(JSON.stringify({ a: `\\"${'{'.repeat(1000)}` }))).toBe(false);
    expect(jsonTextTooDeep(`["\\\\",${arrays(64)}]`)).toBe(true);
  });

  it('measures parsed values without recursion, 100,000 levels included', () => {
    expect(valueTooDeep(nestedValue(64))).toBe(false);
    expect(valueTooDeep(nestedValue(65))).toBe(true);
    expect(valueTooDeep(nestedValue(100_000))).toBe(true);
    const shared = nestedValue(40);
    expect(valueTooDeep({ a: shared, b: [[shared]] })).toBe(false);
    expect(valueTooDeep({ a: shared, b: nestedValue(30) && [[[[[[[[[[[[[[[[[[[[[[[[[shared]]]]]]]]]]]]]]]]]]]]]]]]] })).toBe(true);
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(valueTooDeep(loop)).toBe(true);
  });

  it('a HubSpot delivery parsed from a too-deep value is refused, not a stack overflow', () => {
    const result = parseHubSpotDelivery({ hs_object_id: 1, notes: nestedValue(20_000) }, { defaultPortalId: '' });
    expect(result).toEqual({ ok: false, reason: 'JSON nested deeper than 64 levels' });
    const array = parseHubSpotDelivery([{ objectId: 1, propertyName: 'x', extra: nestedValue(20_000) }], { defaultPortalId: '' });
    expect(array.ok).toBe(false);
  });
});

describe('NUL characters', () => {
  it('finds U+0000 in any string or key, at any depth, and in arrays too large to spread', () => {
    expect(valueHasNul({ a: ['x', { b: 'y' }] })).toBe(false);
    expect(valueHasNul({ a: ['x', { b: 'y\u0000' }] })).toBe(true);
    expect(valueHasNul({ a: [{ 'k\u0000': 1 }] })).toBe(true);
    expect(valueHasNul('\\u0000')).toBe(false);
    const big = new Array(600_000).fill(0);
    expect(valueHasNul(big)).toBe(false);
    big.push('\u0000');
    expect(valueHasNul(big)).toBe(true);
  });
});
