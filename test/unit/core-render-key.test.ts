import { describe, expect, it } from 'vitest';
import { canonicalJson, isRenderKey, parseSubmissionKey, renderKey, submissionKey, type RenderKeyInput } from '../../src/core/render-key.js';

const base: RenderKeyInput = {
  portalId: '12345',
  campaignId: 'bdr-intro',
  objectType: 'contacts',
  objectId: '501',
  templateId: 'tpl_3948572394',
  title: 'Intro for Ada at Acme',
  variables: { first_name: 'Ada', company_name: 'Acme' },
};

const HEYGEN_IDEMPOTENCY_KEY = /^[A-Za-z0-9_:.-]{1,255}$/;

describe('renderKey', () => {
  it('is rk_ followed by 64 hex digits, valid as an Idempotency-Key', () => {
    const key = renderKey(base);
    expect(key).toMatch(/^rk_[0-9a-f]{64}$/);
    expect(key).toMatch(HEYGEN_IDEMPOTENCY_KEY);
    expect(isRenderKey(key)).toBe(true);
  });

  it('is stable: same input, same key', () => {
    expect(renderKey(base)).toBe(renderKey({ ...base, variables: { ...base.variables } }));
  });

  it('does not depend on the order of variables or fields', () => {
    const reordered: RenderKeyInput = {
      variables: { company_name: 'Acme', first_name: 'Ada' },
      title: base.title,
      templateId: base.templateId,
      objectId: base.objectId,
      objectType: base.objectType,
      campaignId: base.campaignId,
      portalId: base.portalId,
    };
    expect(renderKey(reordered)).toBe(renderKey(base));
  });

  it.each([
    ['a variable value', { variables: { first_name: 'Bob', company_name: 'Acme' } }],
    ['an added variable', { variables: { ...base.variables, extra: '' } }],
    ['the portal', { portalId: '999' }],
    ['the campaign', { campaignId: 'other' }],
    ['the object type', { objectType: 'deals' }],
    ['the object id', { objectId: '502' }],
    ['the template', { templateId: 'tpl_other' }],
    ['the title', { title: 'Another title' }],
  ])('changes when %s changes', (_what, change) => {
    expect(renderKey({ ...base, ...change })).not.toBe(renderKey(base));
  });

  it('cannot be confused by values that contain separators', () => {
    const a = renderKey({ ...base, variables: { a: 'x","b":"y' } });
    const b = renderKey({ ...base, variables: { a: 'x', b: 'y' } });
    expect(a).not.toBe(b);
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every level', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 0 }], c: null } })).toBe('{"a":{"c":null,"d":[2,{"y":0,"z":1}]},"b":1}');
  });
});

describe('submissionKey', () => {
  const key = renderKey(base);

  it('is the render key itself for the first submission', () => {
    expect(submissionKey(key, 1)).toBe(key);
  });

  it('appends :n for re-submissions and stays a valid Idempotency-Key', () => {
    expect(submissionKey(key, 2)).toBe(`${key}:2`);
    expect(submissionKey(key, 17)).toMatch(HEYGEN_IDEMPOTENCY_KEY);
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses submission %s', (n) => {
    expect(() => submissionKey(key, n)).toThrow(RangeError);
  });

  it('parses back into render key and submission number', () => {
    expect(parseSubmissionKey(key)).toEqual({ renderKey: key, submission: 1 });
    expect(parseSubmissionKey(submissionKey(key, 3))).toEqual({ renderKey: key, submission: 3 });
    expect(parseSubmissionKey(submissionKey(key, 12))).toEqual({ renderKey: key, submission: 12 });
  });

  it.each(['', 'rk_abc', 'something-else', `${'rk_' + 'a'.repeat(64)}:1`, `${'rk_' + 'a'.repeat(64)}:0`, `${'rk_' + 'a'.repeat(64)}:x`])(
    'does not parse %j',
    (value) => {
      expect(parseSubmissionKey(value)).toBeUndefined();
    },
  );
});
