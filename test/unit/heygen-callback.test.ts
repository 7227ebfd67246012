import { describe, expect, it } from 'vitest';
import { parseHeyGenCallback, type HeyGenCallbackEvent, type HeyGenCallbackResult } from '../../src/heygen/callback.js';

function eventOf(result: HeyGenCallbackResult): HeyGenCallbackEvent {
  if (!result.ok) throw new Error(`expected ok, got: ${result.reason}`);
  return result.event;
}

describe('parseHeyGenCallback', () => {
  it('parses a legacy success event with url', () => {
    const body = {
      event_type: 'avatar_video.success',
      event_data: {
        video_id: 'v_1',
        url: 'https://resource.heygen.com/video/v_1.mp4',
        callback_id: 'rk_abc',
        gif_download_url: 'https://resource.heygen.com/gif/v_1.gif',
        video_share_page_url: null,
        folder_id: null,
      },
    };
    expect(eventOf(parseHeyGenCallback(body))).toEqual({
      eventType: 'avatar_video.success',
      outcome: 'success',
      videoId: 'v_1',
      callbackId: 'rk_abc',
      url: 'https://resource.heygen.com/video/v_1.mp4',
      raw: body,
    });
  });

  it('parses a v3 delivery with event_id and video_url', () => {
    const body = {
      event_id: 'evt_9',
      event_type: 'avatar_video.success',
      event_data: { video_id: 'v_2', video_url: 'https://files.heygen.ai/v_2.mp4', callback_id: 'rk_2' },
      created_at: 1_767_225_600,
    };
    expect(eventOf(parseHeyGenCallback(body))).toMatchObject({
      eventId: 'evt_9',
      outcome: 'success',
      videoId: 'v_2',
      callbackId: 'rk_2',
      url: 'https://files.heygen.ai/v_2.mp4',
    });
  });

  it('parses a failure with its message from msg, message or error', () => {
    const fail = (data: Record<string, unknown>) =>
      eventOf(parseHeyGenCallback({ event_type: 'avatar_video.fail', event_data: { video_id: 'v_3', ...data } }));
    expect(fail({ msg: 'Insufficient credit' })).toMatchObject({ outcome: 'fail', videoId: 'v_3', message: 'Insufficient credit' });
    expect(fail({ message: 'Template not found' }).message).toBe('Template not found');
    expect(fail({ error: 'boom' }).message).toBe('boom');
    expect(fail({ error: { code: 40119, message: 'video is too long' } }).message).toBe('40119: video is too long');
    expect(fail({ msg: '  ', message: 'second choice' }).message).toBe('second choice');
    expect(fail({})).not.toHaveProperty('message');
  });

  it('maps the seed guide aliases video.completed and video.failed', () => {
    expect(eventOf(parseHeyGenCallback({ event_type: 'video.completed', event_data: { video_id: 'v_4' } })).outcome).toBe('success');
    const failed = eventOf(parseHeyGenCallback({ event_type: 'video.failed', event_data: { video_id: 'v_5', msg: 'x' } }));
    expect(failed).toMatchObject({ outcome: 'fail', message: 'x' });
  });

  it('classifies every other event type as other, without a message', () => {
    const gif = eventOf(
      parseHeyGenCallback({ event_type: 'avatar_video_gif.success', event_data: { video_id: 'v_6', url: 'https://g', msg: 'hi' } }),
    );
    expect(gif).toMatchObject({ eventType: 'avatar_video_gif.success', outcome: 'other', videoId: 'v_6' });
    expect(gif).not.toHaveProperty('message');
    expect(eventOf(parseHeyGenCallback({ event_type: 'Avatar_Video.Success' })).outcome).toBe('other');
  });

  it('accepts numeric ids and a missing event_data', () => {
    expect(eventOf(parseHeyGenCallback({ event_id: 7, event_type: 'avatar_video.success', event_data: { video_id: 123 } }))).toMatchObject({
      eventId: '7',
      videoId: '123',
    });
    const bare = eventOf(parseHeyGenCallback({ event_type: 'avatar_video.success', event_data: null }));
    expect(bare).toEqual({ eventType: 'avatar_video.success', outcome: 'success', raw: { event_type: 'avatar_video.success', event_data: null } });
  });

  it('rejects bodies that are not event objects', () => {
    for (const body of [null, 'x', 3, [{ event_type: 'avatar_video.success' }]]) {
      expect(parseHeyGenCallback(body)).toEqual({ ok: false, reason: 'body must be a JSON object' });
    }
    expect(parseHeyGenCallback({ event_data: {} })).toEqual({ ok: false, reason: 'missing event_type' });
    expect(parseHeyGenCallback({ event_type: '  ' })).toEqual({ ok: false, reason: 'missing event_type' });
    expect(parseHeyGenCallback({ event_type: 'avatar_video.success', event_data: 'v_1' })).toEqual({
      ok: false,
      reason: 'event_data must be a JSON object',
    });
  });
});
