import { describe, expect, it } from 'vitest';
import { constantTimeEqual } from '../../src/core/signature-checks.js';

describe('constantTimeEqual', () => {
  it('is string equality, also for strings UTF-8 cannot tell apart (lone surrogates; found by fuzzing)', () => {
    expect(constantTimeEqual('abc', 'abc')).toBe(true);
    expect(constantTimeEqual('abc', 'abd')).toBe(false);
    expect(constantTimeEqual('abc', 'ab')).toBe(false);
    // Both encode to U+FFFD in UTF-8, so a byte comparison called them equal.
    expect(constantTimeEqual('\uD800', '\uDBFF')).toBe(false);
    expect(constantTimeEqual('\uD800', '\uFFFD')).toBe(false);
    expect(constantTimeEqual('\uD800', '\uD800')).toBe(true);
  });
});
