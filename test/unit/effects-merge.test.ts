/** Each outbox effect kind's merge: what stands when a second effect arrives while the first waits. */
import { describe, expect, it } from 'vitest';
import { coalesceCrmWrites, crmWrite } from '../../src/core/crm-write.js';
import { engagementKind } from '../../src/engine/effects/engagement.js';
import { effectOf } from '../../src/engine/effects/kind.js';
import { noteKind, noteMarker } from '../../src/engine/effects/note.js';

describe('properties', () => {
  it('a newer fact about the same render merges; the status never moves backwards; an older render is dropped', () => {
    const pending = crmWrite(5, { s: 'COMPLETED', url: 'u' }, 'COMPLETED');
    expect(coalesceCrmWrites(pending, crmWrite(5, { s: 'PROCESSING' }, 'PROCESSING'))).toBeNull();
    expect(coalesceCrmWrites(crmWrite(5, { s: 'PENDING', job: 'v' }, 'PENDING'), pending)?.properties).toEqual({ s: 'COMPLETED', job: 'v', url: 'u' });
    expect(coalesceCrmWrites(pending, crmWrite(4, { s: 'FAILED' }, 'FAILED'))).toBeNull();
    expect(coalesceCrmWrites(pending, crmWrite(6, { s: 'PENDING' }, 'PENDING'))?.properties).toEqual({ s: 'PENDING' });
  });
});

describe('note', () => {
  it('is created once: a second note effect for the same render keeps the first', () => {
    const note = { marker: noteMarker('rk_abc'), body: '<p>one</p>', timestamp: 1 };
    expect(noteKind.merge(note, { ...note, body: '<p>two</p>' })).toBeNull();
    const change = effectOf(noteKind, { target: { portalId: '1', objectType: 'contacts', objectId: '9' }, key: '7', renderId: 7, payload: note, notBefore: 0 });
    expect(change.merge(change.payload, noteKind.serialize({ ...note, body: 'x' }))).toBeNull();
    expect(noteKind.parse(change.payload)).toEqual(note);
  });

  it('its marker is one alphanumeric token, so CONTAINS_TOKEN matches it whole', () => {
    expect(noteMarker('rk_3f2ae82497a6a502257452b3298608b6ffff')).toBe('reelay3f2ae82497a6a502257452b3298608b6');
  });
});

describe('engagement', () => {
  it('carries no counts, only when the latest event came: merging keeps the latest and always moves the version on', () => {
    expect(engagementKind.merge({ at: 5 }, { at: 3 })).toEqual({ at: 5 });
    expect(engagementKind.merge({ at: 5 }, { at: 9 })).toEqual({ at: 9 });
    const change = effectOf(engagementKind, { target: { portalId: '1', objectType: 'contacts', objectId: '9' }, renderId: 7, payload: { at: 1 }, notBefore: 0 });
    expect(change.key).toBe('');
    expect(change.merge(change.payload, engagementKind.serialize({ at: 1 }))).toBe(change.payload);
    expect(engagementKind.parse(change.payload)).toEqual({ at: 1 });
    expect(engagementKind.parse('{"plays":3}')).toEqual({ at: 0 });
    expect(() => engagementKind.parse('null')).toThrow(/object/);
  });
});
