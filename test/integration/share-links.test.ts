/**
 * `heygen.link: share` writes HeyGen's share page to the CRM, and that page
 * must be public: on v3 the render asks for `enable_sharing`; on v2, whose
 * status read carries no share URL, the page comes from `POST /v1/video/share`
 * (or, failing that, the stable link). The 7-day file URL is never written.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.js';

describe('heygen.link: share', () => {
  let h: Harness;
  afterEach(async () => h?.stop());

  async function shareLinkFor(api: 'v3' | 'v2'): Promise<string> {
    h = await startHarness({
      tweak: (c) => {
        c.heygen.api = api;
        c.heygen.link = 'share';
      },
    });
    const crm = h.sandbox.hubspot.crm;
    const id = crm.create('contacts', { firstname: 'Sam', company: 'Share Inc' }).id;
    await h.postHubSpot({ hs_object_id: Number(id) }, { query: '?campaign=bdr-intro' });
    return h.waitFor(async () => {
      const p = crm.get('contacts', id)?.properties;
      return p?.heygen_render_status === 'COMPLETED' ? p.heygen_video_url : undefined;
    });
  }

  it.each(['v3', 'v2'] as const)('on %s writes a public share page, never the expiring file URL', async (api) => {
    const link = await shareLinkFor(api);
    expect(link).toMatch(/\/_sandbox\/share\/[0-9a-f]{32}$/);
    expect(link).not.toContain('Expires=');
    const page = await fetch(link);
    expect(page.status).toBe(200);
  });
});
