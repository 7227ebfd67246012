/**
 * Campaign variants through the real service and the sandbox, on SQLite and
 * PostgreSQL: the intro in German for a contact whose `hs_language` is `de`
 * (read fresh at enrichment), English for everyone else; each billed once;
 * a contact who switches language gets a new render with another key, and
 * the same trigger again renders nothing. The variant shows in the admin
 * API's render JSON.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { testDialects } from '../helpers/databases.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import type { RenderRow } from '../../src/store/schema.js';

describe.each(await testDialects())('template variants on %s', (dialect) => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  async function start(): Promise<Harness> {
    h = await startHarness({
      dialect,
      tweak: (config) => {
        const campaign = config.campaigns.find((c) => c.id === 'bdr-intro');
        if (!campaign) throw new Error('bdr-intro missing from the test config');
        campaign.variants = [
          { id: 'de', when: [{ property: 'hs_language', equals: 'de' }], template: 'tpl_bdr_intro_de', title: 'Intro für {{firstname}} bei {{company}}' },
          { id: 'es', when: [{ property: 'hs_language', equals: 'es' }], template: 'tpl_bdr_intro_es' },
        ];
      },
    });
    return h;
  }

  /** A workflow webhook for the contact; `run` tells repeated workflow runs apart (identical bodies are one event). */
  async function trigger(harness: Harness, contactId: string, run = 1): Promise<void> {
    expect((await harness.postHubSpot({ hs_object_id: Number(contactId), run }, { query: '?campaign=bdr-intro' })).status).toBe(200);
  }

  async function rendersOf(harness: Harness, contactId: string): Promise<RenderRow[]> {
    return harness.service.store.db.selectFrom('renders').selectAll().where('object_id', '=', contactId).orderBy('id').execute();
  }

  async function variantOf(harness: Harness, renderId: number): Promise<string | null> {
    const response = await fetch(`${harness.env.publicUrl}/api/renders/${renderId}`, { headers: { authorization: `Bearer ${harness.secrets.adminToken}` } });
    return ((await response.json()) as { variant: string | null }).variant;
  }

  it('a German contact gets the German template and title, an English one the campaign template; each billed once', async () => {
    const harness = await start();
    const crm = harness.sandbox.hubspot.crm;
    const english = crm.create('contacts', { firstname: 'Ada', company: 'Engines' }).id;
    const german = crm.create('contacts', { firstname: 'Bea', company: 'Maschinen', hs_language: 'de' }).id;
    await trigger(harness, english);
    await trigger(harness, german);
    await harness.waitFor(async () => [english, german].every((id) => crm.get('contacts', id)?.properties.heygen_render_status === 'COMPLETED'), 20_000, 'both videos in the CRM');
    await harness.settled();

    const billed = harness.sandbox.heygen.ledger().filter((e) => e.billed);
    expect(billed.map((e) => ({ template: e.template_id, title: (e.title ?? '').replace(/ \[rk:.*$/, '') })).sort((a, b) => a.template.localeCompare(b.template))).toEqual([
      { template: 'tpl_bdr_intro', title: 'Intro for Ada at Engines' },
      { template: 'tpl_bdr_intro_de', title: 'Intro für Bea bei Maschinen' },
    ]);
    const [en] = await rendersOf(harness, english);
    const [de] = await rendersOf(harness, german);
    expect(en).toMatchObject({ state: 'completed', template_id: 'tpl_bdr_intro' });
    expect(de).toMatchObject({ state: 'completed', template_id: 'tpl_bdr_intro_de' });
    expect(await variantOf(harness, en?.id ?? 0)).toBeNull();
    expect(await variantOf(harness, de?.id ?? 0)).toBe('de');
  });

  it('a contact who switches to German gets a new render with another key; the same trigger again renders nothing', async () => {
    const harness = await start();
    const crm = harness.sandbox.hubspot.crm;
    const id = crm.create('contacts', { firstname: 'Carl', company: 'Gears' }).id;
    await trigger(harness, id);
    await harness.waitFor(async () => (await rendersOf(harness, id))[0]?.state === 'completed', 20_000, 'the English video');
    await harness.settled();

    // The language is read fresh at enrichment: the next trigger renders the German variant.
    crm.update('contacts', id, { hs_language: 'de' });
    await trigger(harness, id, 2);
    await harness.waitFor(async () => (await rendersOf(harness, id))[1]?.state === 'completed', 20_000, 'the German video');
    await harness.settled();
    await trigger(harness, id, 3);
    await harness.waitFor(async () => (await rendersOf(harness, id))[2]?.state === 'duplicate', 20_000, 'the repeat to be a duplicate');
    await harness.settled();

    const [first, second, third] = await rendersOf(harness, id);
    expect(first).toMatchObject({ template_id: 'tpl_bdr_intro' });
    expect(second).toMatchObject({ template_id: 'tpl_bdr_intro_de' });
    expect(second?.render_key).not.toBe(first?.render_key);
    expect(third?.render_key).toBeNull();
    const billed = harness.sandbox.heygen.ledger().filter((e) => e.billed);
    expect(billed.map((e) => e.template_id)).toEqual(['tpl_bdr_intro', 'tpl_bdr_intro_de']);
    expect(crm.get('contacts', id)?.properties).toMatchObject({ heygen_render_status: 'COMPLETED', heygen_job_id: billed[1]?.video_id });
  });
});
