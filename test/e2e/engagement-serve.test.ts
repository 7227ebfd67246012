/**
 * The compiled build (`reelay serve` from `dist/`, as a user runs it) serves
 * the video page's player script and counts its events: the script lives in
 * a module, not a file tsc would leave behind.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startServeFixture, until, type ServeFixture } from './serve-fixture.js';

describe('engagement from the built CLI', () => {
  let f: ServeFixture | undefined;
  afterEach(async () => {
    await f?.close();
    f = undefined;
  });

  it('serves /assets/reelay-player.js and answers the player\'s events', { timeout: 120_000 }, async () => {
    f = await startServeFixture();
    const { sandbox, serviceUrl } = f;
    const child = await f.serve();
    const script = await fetch(`${serviceUrl}/assets/reelay-player.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('cache-control')).toBe('public, max-age=604800');
    const text = await script.text();
    expect(text).toContain("getElementById('reelay-video')");
    // Plain script: it parses as a function body (no modules, no imports).
    expect(() => new Function(text)).not.toThrow();

    const crm = sandbox.hubspot.crm;
    const id = crm.create('contacts', { firstname: 'Bea', company: 'Beacon Ltd', lifecyclestage: 'lead' }).id;
    sandbox.hubspot.webhooks.setSubscriptions([{ subscriptionType: 'contact.propertyChange', propertyName: 'lifecyclestage' }]);
    crm.update('contacts', id, { lifecyclestage: 'marketingqualifiedlead' });
    const link = await until(() => crm.get('contacts', id)?.properties.heygen_video_url ?? undefined, 60_000, 'the video link');
    const events = `${link}/events`;
    const beacon = await fetch(events, { method: 'POST', headers: { 'content-type': 'text/plain;charset=UTF-8' }, body: '{"type":"play","percent":0}' });
    expect(beacon.status).toBe(204);
    expect(beacon.headers.get('set-cookie')).toBeNull();
    expect((await fetch(events, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"type":"progress","percent":50}' })).status).toBe(204);
    expect((await fetch(`${serviceUrl}/v/${'C'.repeat(32)}/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"type":"play"}' })).status).toBe(404);
    const metrics = await (await fetch(`${serviceUrl}/metrics`)).text();
    expect(metrics).toContain('reelay_engagement_events_total{type="play"} 1');
    expect(metrics).toContain('reelay_engagement_events_total{type="progress"} 1');
    child.kill('SIGTERM');
    await child.exited;
  });
});
