import { describe, expect, it } from 'vitest';
import { compareTemplateVariables } from '../../src/doctor/template-match.js';

describe('compareTemplateVariables', () => {
  it('flags a mapping whose type differs from the template variable (text mapped onto an image)', () => {
    const template = { first_name: { type: 'text' }, logo: { type: 'image' }, voice: { type: 'voice' }, greeting: { type: 'TEXT' } };
    expect(compareTemplateVariables({ first_name: 'text', logo: 'text', greeting: 'text' }, template)).toEqual([
      { kind: 'wrong_type', variable: 'logo', type: 'image', mappedAs: 'text' },
    ]);
  });

  it('flags unknown mapped variables and unmapped text variables; unmapped media keep the template\'s own', () => {
    const template = { first_name: { type: 'text' }, company: { type: 'text' }, logo: { type: 'image' } };
    expect(compareTemplateVariables({ first_name: 'text', nickname: 'text' }, template)).toEqual([
      { kind: 'unknown', variable: 'nickname' },
      { kind: 'missing', variable: 'company' },
    ]);
  });
});
