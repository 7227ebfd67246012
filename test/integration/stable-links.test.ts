/**
 * HeyGen's video URLs expire (7 days in production); the link Reelay writes
 * to the CRM keeps working because it fetches a fresh one on demand, and it
 * cannot be guessed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.js';

describe('stable video links', () => {
  let h: Harness;
  afterEach(async () => h?.stop());

  it('keeps working after HeyGen\'s URL has expired, and unknown tokens are 404', async () => {
    h = await startHarness({ sandbox: { heygen: { urlTtlMs: 1_500 } } });
    const crm = h.sandbox.hubspot.crm;
    const id = crm.create('contacts', { firstname: 'Tim', company: 'Links Ltd' }).id;
    await h.postHubSpot({ hs_object_id: Number(id) }, { query: '?campaign=bdr-intro' });
    const link = await h.waitFor(async () => crm.get('contacts', id)?.properties.heygen_video_url);
    expect(link).toMatch(new RegExp(`^${h.env.publicUrl}/v/[A-Za-z0-9_-]{32}$`));

    const render = await h.service.store.db.selectFrom('renders').selectAll().where('object_id', '=', id).executeTakeFirstOrThrow();
    await new Promise((r) => setTimeout(r, 2_000));
    expect((await fetch(render.video_url as string)).status).toBe(403);

    const viaLink = await fetch(link);
    expect(viaLink.status).toBe(200);
    expect(viaLink.url).not.toBe(render.video_url);

    const token = link.split('/v/')[1] as string;
    const forged = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    expect((await fetch(`${h.env.publicUrl}/v/${forged}`, { redirect: 'manual' })).status).toBe(404);
    expect((await fetch(`${h.env.publicUrl}/v/short`, { redirect: 'manual' })).status).toBe(404);
  });
});
