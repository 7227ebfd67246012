/**
 * Fuzzing HeyGen callback parsing (`src/heygen/callback.ts`) as the route
 * feeds it: raw text -> depth limit -> JSON.parse -> parse. Never a throw;
 * an accepted event always has a type, and only the known types act.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonTextTooDeep } from '../../src/core/json-depth.js';
import { parseHeyGenCallback, type HeyGenCallbackResult } from '../../src/heygen/callback.js';
import { awkwardJson, fuzz, mutated } from './fuzz.js';

const ACTING: Record<string, 'success' | 'fail'> = {
  'avatar_video.success': 'success',
  'video.completed': 'success',
  'avatar_video.fail': 'fail',
  'video.failed': 'fail',
};

function expectWellFormed(result: HeyGenCallbackResult): void {
  if (!result.ok) {
    expect(result.reason.length).toBeGreaterThan(0);
    return;
  }
  const { event } = result;
  expect(event.eventType.length).toBeGreaterThan(0);
  expect(event.eventType).toBe(event.eventType.trim());
  expect(event.outcome).toBe(ACTING[event.eventType] ?? 'other');
  for (const id of [event.eventId, event.videoId, event.callbackId, event.url, event.message]) {
    if (id !== undefined) {
      expect(typeof id).toBe('string');
      expect(id.length).toBeGreaterThan(0);
    }
  }
  if (event.outcome !== 'fail') expect(event.message).toBeUndefined();
}

const scalar = fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null));
const eventData = fc.record(
  {
    video_id: fc.oneof(fc.string({ maxLength: 20 }), scalar),
    callback_id: fc.oneof(fc.constant('rk_abc'), scalar),
    url: fc.oneof(fc.webUrl(), scalar),
    video_url: fc.oneof(fc.webUrl(), scalar),
    msg: scalar,
    message: scalar,
    error: fc.oneof(scalar, fc.record({ code: scalar, message: scalar, detail: scalar }, { requiredKeys: [] })),
  },
  { requiredKeys: [] },
);
const callback = fc.record(
  {
    event_id: fc.oneof(fc.uuid(), scalar),
    event_type: fc.oneof(fc.constantFrom(...Object.keys(ACTING), 'avatar_video_gif.success', ' avatar_video.success ', ''), scalar),
    event_data: fc.oneof(eventData, scalar, fc.array(scalar)),
    created_at: scalar,
  },
  { requiredKeys: [] },
);

describe('HeyGen callback parsing under fuzzing', () => {
  it('random JSON values never throw', () => {
    fuzz(fc.property(awkwardJson, (body) => expectWellFormed(parseHeyGenCallback(body))), 3_000);
  });

  it('generated callbacks never throw, and the four known types are the only ones that act', () => {
    fuzz(fc.property(callback, (body) => expectWellFormed(parseHeyGenCallback(body))), 5_000);
  });

  it('mutated callback texts never throw anything but a refusal', () => {
    fuzz(
      fc.property(mutated(callback.map((c) => JSON.stringify(c)), 6), (text) => {
        if (jsonTextTooDeep(text)) return;
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          return;
        }
        expectWellFormed(parseHeyGenCallback(body));
      }),
      5_000,
    );
  });
});
