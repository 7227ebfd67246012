/**
 * Fuzzing admin API input parsing (`src/http/admin-input.ts`): random query
 * objects, query strings and ids never throw; what is accepted is in range;
 * what is refused names at least one field.
 */
import { parse as parseQuery } from 'node:querystring';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { objectTypes } from '../../src/config/schema.js';
import { renderStates } from '../../src/core/states.js';
import { listRendersQuery, MAX_RENDER_ID, noBody, parseAdminInput, renderIdParams, retryFailedQuery } from '../../src/http/admin-input.js';
import { fuzz, mutated } from './fuzz.js';

const KEYS = ['state', 'campaign', 'object', 'objectId', 'limit', 'stat', '__proto__', 'constructor', ''];
const value = fc.oneof(
  fc.string({ maxLength: 10 }),
  fc.constantFrom(...renderStates, ...objectTypes, '-1', '0', '0.5', '1', '50', '500', '501', '1e2', ' 5', '5 ', '', '9'.repeat(30), 'NaN', 'Infinity', '0x10', '١٢'),
);
const queryObject = fc.dictionary(fc.constantFrom(...KEYS), fc.oneof(value, fc.array(value, { maxLength: 3 })), { maxKeys: 6 });
const queryString = fc.oneof(
  fc.array(fc.tuple(fc.constantFrom(...KEYS), value), { maxLength: 6 }).map((pairs) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')),
  mutated(fc.constantFrom('state=failed&campaign=bdr-intro&object=contacts&objectId=42&limit=10', 'limit=500'), 5),
);

function expectRefusalNamesAField(result: { ok: boolean; issues?: Array<{ path: string; message: string }>; message?: string }): void {
  if (result.ok) return;
  expect(result.issues?.length).toBeGreaterThan(0);
  for (const issue of result.issues ?? []) {
    expect(issue.path.length).toBeGreaterThan(0);
    expect(issue.message.length).toBeGreaterThan(0);
  }
}

describe('admin API input parsing under fuzzing', () => {
  it('random /api/renders queries never throw; accepted ones are in range', () => {
    fuzz(
      fc.property(fc.oneof(queryObject, queryString.map((q) => parseQuery(q))), (query) => {
        const result = parseAdminInput(listRendersQuery, query);
        expectRefusalNamesAField(result);
        if (!result.ok) return;
        const { limit, state, object, objectId, campaign } = result.value;
        expect(Number.isInteger(limit) && limit >= 1 && limit <= 500).toBe(true);
        if (state !== undefined) expect(renderStates).toContain(state);
        if (object !== undefined) expect(objectTypes).toContain(object);
        if (objectId !== undefined) expect(objectId).toMatch(/^\d{1,20}$/);
        if (campaign !== undefined) expect(typeof campaign).toBe('string');
      }),
      10_000,
    );
  });

  it('random retry-failed queries never throw; an accepted campaign is one non-empty string', () => {
    fuzz(
      fc.property(fc.oneof(queryObject, queryString.map((q) => parseQuery(q))), (query) => {
        const result = parseAdminInput(retryFailedQuery, query);
        expectRefusalNamesAField(result);
        if (result.ok && result.value.campaign !== undefined) expect(result.value.campaign.length).toBeGreaterThan(0);
      }),
      5_000,
    );
  });

  it('random render ids never throw; accepted ones fit the id column', () => {
    fuzz(
      fc.property(fc.oneof(value, fc.nat().map(String), fc.bigInt({ min: 0n, max: 10n ** 12n }).map(String)), (id) => {
        const result = parseAdminInput(renderIdParams, { id });
        expectRefusalNamesAField(result);
        if (result.ok) {
          expect(Number.isInteger(result.value.id)).toBe(true);
          expect(result.value.id).toBeGreaterThanOrEqual(1);
          expect(result.value.id).toBeLessThanOrEqual(MAX_RENDER_ID);
          expect(String(result.value.id)).toBe(id.replace(/^0+(?=\d)/, ''));
        }
      }),
      10_000,
    );
  });

  it('bodies: only none or an empty one is accepted', () => {
    fuzz(
      fc.property(fc.oneof(fc.constant(undefined), fc.constant(null), fc.uint8Array({ maxLength: 20 }).map((b) => Buffer.from(b)), fc.jsonValue()), (body) => {
        const result = parseAdminInput(noBody, body, 'body');
        expectRefusalNamesAField(result);
        const empty = body === undefined || body === null || (Buffer.isBuffer(body) && body.length === 0);
        expect(result.ok).toBe(empty);
      }),
      3_000,
    );
  });
});
