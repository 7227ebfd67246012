/**
 * An account problem (HeyGen out of credit, a rejected HubSpot token) would
 * fail every render the same way. Instead the provider's queue pauses with
 * one alert, no render is failed or billed, and it resumes by itself once
 * the problem is fixed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { getMeta } from '../../src/store/meta.js';
import { startHarness, type Harness } from '../helpers/harness.js';

describe('queue pauses', () => {
  let h: Harness;
  afterEach(async () => h?.stop());

  it('pauses on "insufficient credit" instead of failing renders, and resumes when credit is back', async () => {
    h = await startHarness({
      tweak: (c) => {
        c.worker.pauseProbeEvery = 300;
      },
      sandbox: { heygen: { credits: 0 } },
    });
    const crm = h.sandbox.hubspot.crm;
    const ids = Array.from({ length: 6 }, (_, i) => crm.create('contacts', { firstname: `Pat${i}`, company: 'Broke Co' }).id);
    for (const id of ids) await h.postHubSpot({ hs_object_id: Number(id) }, { query: '?campaign=bdr-intro' });

    const pause = await h.waitFor(async () => getMeta(h.service.store, 'pause:heygen'), 20_000, 'the HeyGen queue to pause');
    expect(JSON.parse(pause)).toMatchObject({ code: 'insufficient_credit' });
    const failed = await h.service.store.db.selectFrom('renders').select('id').where('state', '=', 'failed').execute();
    expect(failed).toEqual([]);
    expect(h.sandbox.heygen.ledger().filter((e) => e.billed)).toEqual([]);
    for (const id of ids) expect(crm.get('contacts', id)?.properties.heygen_render_status).toBeUndefined();

    h.sandbox.heygen.control.setLimits({ credits: 1_000 });
    await h.settled(40_000);
    expect(await getMeta(h.service.store, 'pause:heygen')).toBeUndefined();
    for (const id of ids) expect(crm.get('contacts', id)?.properties.heygen_render_status).toBe('COMPLETED');
    expect(h.sandbox.heygen.ledger().filter((e) => e.billed)).toHaveLength(ids.length);
  });

  it('pauses on a rejected HubSpot token, and resumes when it works again', async () => {
    h = await startHarness({ tweak: (c) => (c.worker.pauseProbeEvery = 300) });
    const crm = h.sandbox.hubspot.crm;
    const id = crm.create('contacts', { firstname: 'Quinn', company: 'Token Co' }).id;
    // The token is revoked: every API call now answers 401.
    h.sandbox.hubspot.control.setAccessToken('rotated-elsewhere');
    await h.postHubSpot({ hs_object_id: Number(id) }, { query: '?campaign=bdr-intro' });
    const pause = await h.waitFor(async () => getMeta(h.service.store, 'pause:hubspot'), 20_000, 'the HubSpot queue to pause');
    expect(JSON.parse(pause).reason).toMatch(/HUBSPOT_ACCESS_TOKEN/);
    expect(await h.service.store.db.selectFrom('renders').select('state').execute()).toEqual([{ state: 'received' }]);

    h.sandbox.hubspot.control.setAccessToken(h.secrets.hubspotAccessToken);
    await h.settled(40_000);
    expect(crm.get('contacts', id)?.properties.heygen_render_status).toBe('COMPLETED');
  });
});
