import { describe, expect, it } from 'vitest';
import { enableSharingFor, writesSharePage } from '../../src/core/share-link.js';

describe('share pages', () => {
  it('are written with link: share, and with link: stable when no PUBLIC_URL can carry the stable link', () => {
    expect(writesSharePage('share', true)).toBe(true);
    expect(writesSharePage('stable', false)).toBe(true);
    expect(writesSharePage('stable', true)).toBe(false);
    expect(writesSharePage('raw', false)).toBe(false);
  });

  it('make renders ask for enable_sharing unless the campaign says otherwise', () => {
    expect(enableSharingFor('share', true, undefined)).toBe(true);
    expect(enableSharingFor('stable', true, undefined)).toBeUndefined();
    expect(enableSharingFor('share', true, false)).toBe(false);
    expect(enableSharingFor('raw', true, true)).toBe(true);
  });
});
