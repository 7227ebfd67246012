/**
 * Deleting a video at HeyGen (a privacy request's last step), on both API
 * configurations: v3 `DELETE /v3/videos/{id}` and, for `heygen.api: v2`,
 * the legacy `DELETE /v1/video.delete?video_id=` (docs/api-notes/privacy.md).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { ProviderError } from '../../src/core/errors.js';
import { createHeyGenClient } from '../../src/heygen/client.js';
import { startStubServer, type StubServer } from '../helpers/stub-server.js';

const API_KEY = 'hg_delete_key_0123456789abcdef';
let stub: StubServer;

beforeEach(async () => {
  stub = await startStubServer();
});
afterEach(async () => {
  await stub.close();
});

const client = (api: 'v3' | 'v2') => createHeyGenClient({ api, baseUrl: stub.url, apiKey: API_KEY, timeoutMs: 2000, clock: new ManualClock(Date.UTC(2026, 0, 1)) });

describe.each([
  ['v3', '/v3/videos/vid%2F1', { data: { id: 'vid/1', deleted: true } }],
  ['v2', '/v1/video.delete', { code: 100, data: { video_id: 'vid/1' }, message: 'Success' }],
] as const)('deleteVideo on %s', (api, path, answer) => {
  it('sends DELETE with the API key and reports the video deleted', async () => {
    stub.enqueue('DELETE', path, { body: answer });
    expect(await client(api).deleteVideo('vid/1')).toBe('deleted');
    const [req] = stub.requests;
    expect(req?.method).toBe('DELETE');
    expect(req?.headers['x-api-key']).toBe(API_KEY);
    if (api === 'v2') expect(req?.query.get('video_id')).toBe('vid/1');
  });

  it('a video HeyGen does not have (404) counts as gone', async () => {
    stub.enqueue('DELETE', path, { status: 404, body: { error: { code: 'video_not_found', message: 'video vid/1 not found' } } });
    expect(await client(api).deleteVideo('vid/1')).toBe('not_found');
  });

  it('a server error is a retryable ProviderError without the key in it', async () => {
    stub.enqueue('DELETE', path, { status: 503, body: { error: { code: 'unavailable', message: 'try later' } } });
    const err = await client(api).deleteVideo('vid/1').then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as ProviderError).retryable).toBe(true);
    expect((err as ProviderError).describe()).not.toContain(API_KEY);
  });
});
