/**
 * The erasure plan (core/erasure.ts) and the requests that start one: what
 * an erased render keeps, which HubSpot events ask for an erasure, and how a
 * `forget` request is checked before anything is touched.
 */
import { describe, expect, it } from 'vitest';
import { parseForgetRequest } from '../../src/app/forget.js';
import { parseConfig } from '../../src/config/load.js';
import { ERASED_ID, eraseRender, erasePlan, isPrivacyDeletion, PRIVACY_EVENT_KIND } from '../../src/core/erasure.js';
import { planIntake } from '../../src/engine/intake.js';
import { parseHubSpotDelivery } from '../../src/hubspot/delivery.js';
import { parseJournalFile } from '../../src/hubspot/journal-file.js';

const plan = JSON.stringify({
  heygen: { caption: true },
  writeback: { mode: 'both', targets: [{ objectType: 'contacts', objectId: '42' }, { objectType: 'deals', objectId: '7' }] },
  link: 'stable',
  properties: { status: 's', url: 'u', jobId: 'j', error: 'e' },
  note: true,
});

describe('erasing a render', () => {
  it('keeps the billing record and drops everything that names or describes the person', () => {
    const erased = eraseRender({ id: 12, render_key: 'rk_abc', plan, video_id: 'v1', suggested_video_id: 'v0' });
    expect(erased.set).toEqual({
      object_id: ERASED_ID,
      trigger_object_type: null,
      trigger_object_id: null,
      event_id: null,
      scope: null,
      render_key: 'erased:12',
      title: null,
      variables: null,
      plan: JSON.stringify({ heygen: { caption: true }, writeback: { mode: 'both', targets: [] }, link: 'stable', properties: { status: 's', url: 'u', jobId: 'j', error: 'e' }, note: true }),
      video_url: null,
      video_url_expires_at: null,
      share_url: null,
      link_token: null,
      error_message: null,
    });
    // Campaign, state, times, video id, error code and submission are not in the set: they stay.
    for (const kept of ['campaign_id', 'state', 'created_at', 'finished_at', 'video_id', 'error_code', 'portal_id']) expect(erased.set).not.toHaveProperty(kept);
    expect(erased.videoIds).toEqual(['v1', 'v0']);
  });

  it('a render that never got a key or a video keeps no key and deletes no video', () => {
    const erased = eraseRender({ id: 3, render_key: null, plan: null, video_id: null, suggested_video_id: null });
    expect(erased.set.render_key).toBeNull();
    expect(erased.set.plan).toBeNull();
    expect(erased.videoIds).toEqual([]);
  });

  it('the same video named twice is deleted once; a plan that is not JSON is dropped', () => {
    expect(eraseRender({ id: 1, render_key: 'k', plan: '{', video_id: 'v', suggested_video_id: 'v' }).videoIds).toEqual(['v']);
    expect(erasePlan('not json')).toBeNull();
    expect(erasePlan('[1]')).toBeNull();
    expect(JSON.parse(erasePlan('{"link":"raw"}') ?? '')).toEqual({ link: 'raw', writeback: { targets: [] } });
  });

  it('is idempotent: erasing an erased render changes nothing more', () => {
    const once = eraseRender({ id: 5, render_key: 'k', plan, video_id: 'v', suggested_video_id: null });
    const twice = eraseRender({ id: 5, render_key: once.set.render_key, plan: once.set.plan, video_id: 'v', suggested_video_id: null });
    expect(twice.set).toEqual(once.set);
  });
});

describe('privacy deletion events', () => {
  const config = parseConfig('campaigns:\n  - { id: c, object: contacts, trigger: { property: lifecyclestage, equals: lead }, template: t, variables: { n: { property: firstname } } }\n', {}, 't');

  it('recognises the legacy webhook type and the journal form, nothing else', () => {
    expect(isPrivacyDeletion('contact.privacyDeletion')).toBe(true);
    expect(isPrivacyDeletion('object.privacyDeletion')).toBe(true);
    expect(isPrivacyDeletion('contact.deletion')).toBe(false);
    expect(isPrivacyDeletion(undefined)).toBe(false);
  });

  it('a contact.privacyDeletion delivery is stored as a privacy request for the contact, starting no render', () => {
    const delivery = [{ eventId: 1, subscriptionId: 9, portalId: 62515, appId: 1, occurredAt: 1_700_000_000_000, subscriptionType: 'contact.privacyDeletion', attemptNumber: 0, objectId: 123, changeSource: 'CRM_UI' }];
    const parsed = parseHubSpotDelivery(delivery, { defaultPortalId: '' });
    if (!parsed.ok) throw new Error(parsed.reason);
    const [item] = planIntake(parsed.events, config, undefined);
    expect(item?.event).toMatchObject({ kind: PRIVACY_EVENT_KIND, portal_id: '62515', object_type: 'contacts', object_id: '123', status: 'accepted', reason: null });
    expect(item?.renders).toEqual([]);
  });

  it('the journal GDPR_DELETE action is the same request', () => {
    const parsed = parseJournalFile({ journalEvents: [{ portalId: 62515, objectTypeId: '0-1', objectId: 77, action: 'GDPR_DELETE', occurredAt: 1_700_000_000_000 }] }, 'o-1', '');
    if (!parsed.ok) throw new Error(parsed.reason);
    const [item] = planIntake(parsed.events, config, undefined);
    expect(item?.event).toMatchObject({ kind: PRIVACY_EVENT_KIND, object_type: 'contacts', object_id: '77', status: 'accepted' });
  });

  it('with privacy.honorDeletionEvents: false it is stored as ignored, with the reason', () => {
    const off = parseConfig('privacy: { honorDeletionEvents: false }\n', {}, 't');
    const parsed = parseHubSpotDelivery({ subscriptionType: 'contact.privacyDeletion', objectId: 5, portalId: 1 }, { defaultPortalId: '' });
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(planIntake(parsed.events, off, undefined)[0]?.event).toMatchObject({ kind: PRIVACY_EVENT_KIND, status: 'ignored', reason: expect.stringContaining('honorDeletionEvents') });
  });
});

describe('a forget request', () => {
  it('takes an object type by plural, singular or type id, and a numeric id', () => {
    expect(parseForgetRequest('contacts', '42')).toEqual({ ok: true, target: { objectType: 'contacts', objectId: '42' } });
    expect(parseForgetRequest('Contact', ' 42 ')).toEqual({ ok: true, target: { objectType: 'contacts', objectId: '42' } });
    expect(parseForgetRequest('0-3', '7')).toEqual({ ok: true, target: { objectType: 'deals', objectId: '7' } });
  });

  it('refuses an unknown type, a missing type and an id that is not a record id, saying which', () => {
    expect(parseForgetRequest('people', '42')).toEqual({ ok: false, reason: expect.stringMatching(/^unknown object type "people" \(one of contacts, /) });
    expect(parseForgetRequest(undefined, '42')).toEqual({ ok: false, reason: expect.stringContaining('--object') });
    expect(parseForgetRequest('contacts', 'abc')).toEqual({ ok: false, reason: expect.stringContaining('--id N') });
    expect(parseForgetRequest('contacts', undefined)).toEqual({ ok: false, reason: expect.stringContaining('--id N') });
  });

  it('the privacy section has its defaults', () => {
    const cfg = parseConfig('', {}, 't');
    expect(cfg.privacy).toEqual({ deleteVideos: true, honorDeletionEvents: true });
    expect(cfg.retention.engagementDays).toBe(90);
  });
});
