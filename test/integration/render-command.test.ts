/**
 * `reelay render`: a render by hand is stored as a `manual` event and the
 * running service renders it; the render key keeps the same inputs from
 * rendering twice. `--dry-run` prints the exact HeyGen request and spends,
 * stores and writes nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { renderCommand } from '../../src/cli/render.js';
import { UsageError } from '../../src/cli/common.js';
import { testDialects } from '../helpers/databases.js';
import { startHarness, type Harness } from '../helpers/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

async function render(harness: Harness, campaignId: string, objectId: string, dryRun: boolean): Promise<{ code: number; text: string }> {
  let text = '';
  const code = await renderCommand({ env: harness.env, config: harness.config, out: { write: (t: string) => (text += t) }, campaignId, objectId, dryRun });
  return { code, text };
}

/** The JSON body printed under "would render", parsed. */
function printedBody(text: string): Record<string, unknown> {
  const start = text.indexOf('\n  {');
  const end = text.indexOf('\n  }', start);
  return JSON.parse(text.slice(start, end + 4)) as Record<string, unknown>;
}

async function storedCounts(harness: Harness): Promise<{ events: number; renders: number }> {
  const db = harness.service.store.db;
  const events = await db.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const renders = await db.selectFrom('renders').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return { events: Number(events.n), renders: Number(renders.n) };
}

describe.each(await testDialects())('reelay render on %s', (dialect) => {
  it('queues a render that the running service renders and writes back', async () => {
    h = await startHarness({ dialect });
    const crm = h.sandbox.hubspot.crm;
    const id = crm.create('contacts', { firstname: 'Ada', company: 'Analytical Engines', recent_conversion_event_name: 'Pricing page' }).id;

    const { code, text } = await render(h, 'bdr-intro', id, false);

    expect(code).toBe(0);
    expect(text).toMatch(new RegExp(`^render \\d+ queued: contacts/${id} for campaign bdr-intro`));
    await h.waitFor(async () => crm.get('contacts', id)?.properties.heygen_render_status === 'COMPLETED', 20_000, 'the video in the CRM');
    const ledger = h.sandbox.heygen.ledger();
    expect(ledger).toHaveLength(1);
    expect(ledger[0]?.variables).toEqual({ first_name: 'Ada', company_name: 'Analytical Engines', conversion_event: 'Pricing page' });
    const event = await h.service.store.db.selectFrom('events').selectAll().executeTakeFirstOrThrow();
    expect(event.kind).toBe('manual');
    expect(event.dedupe_key).toMatch(new RegExp(`^manual_bdr-intro_${id}_\\d+$`));

    // Asked again with the same inputs: a new request, the same render key, nothing billed twice.
    expect((await render(h, 'bdr-intro', id, false)).code).toBe(0);
    await h.settled();
    expect(h.sandbox.heygen.ledger()).toHaveLength(1);
    const states = await h.service.store.db.selectFrom('renders').select('state').orderBy('id').execute();
    expect(states.map((s) => s.state)).toEqual(['completed', 'duplicate']);
  });

  it('--dry-run prints the exact request HeyGen would get, and spends, stores and writes nothing', async () => {
    h = await startHarness({ dialect });
    const crm = h.sandbox.hubspot.crm;
    const id = crm.create('contacts', { firstname: 'Grace', company: 'Navy Labs' }).id;
    const writesBefore = h.sandbox.hubspot.stats().writes.total;

    const dry = await render(h, 'bdr-intro', id, true);

    expect(dry.code).toBe(0);
    expect(dry.text).toMatch(new RegExp(`^contacts/${id} \\(campaign bdr-intro\\): would render \\(render key rk_[0-9a-f]{64}\\)`));
    expect(dry.text).toContain(`POST ${h.sandbox.heygen.url}/v3/templates/tpl_bdr_intro`);
    expect(dry.text).toMatch(/idempotency-key: rk_[0-9a-f]{64}/);
    expect(dry.text).not.toContain(h.secrets.heygenApiKey);
    const body = printedBody(dry.text);
    expect(body.variables).toEqual({
      first_name: { name: 'first_name', type: 'text', properties: { content: 'Grace' } },
      company_name: { name: 'company_name', type: 'text', properties: { content: 'Navy Labs' } },
      conversion_event: { name: 'conversion_event', type: 'text', properties: { content: 'your visit' } },
    });
    expect(body.title).toMatch(/^Intro for Grace at Navy Labs \[rk:[0-9a-z_]{12}\]$/);
    expect(dry.text).toContain('dry run: 1 would render, 0 would be skipped; nothing was stored, sent to HeyGen or written to HubSpot');

    expect(h.sandbox.heygen.ledger()).toHaveLength(0);
    expect(h.sandbox.heygen.stats().createsAccepted).toBe(0);
    expect(await storedCounts(h)).toEqual({ events: 0, renders: 0 });
    expect(h.sandbox.hubspot.stats().writes.total).toBe(writesBefore);

    // The real render sends exactly what the dry run showed.
    await render(h, 'bdr-intro', id, false);
    await h.waitFor(async () => h?.sandbox.heygen.ledger().length === 1, 20_000, 'the render to be billed');
    const billed = h.sandbox.heygen.ledger()[0];
    expect(billed?.callback_id).toBe(body.callback_id);
    expect(billed?.variables).toEqual({ first_name: 'Grace', company_name: 'Navy Labs', conversion_event: 'your visit' });
  });
});

describe('reelay render --dry-run', () => {
  it("reads a deal campaign's variables from the deal's primary contact", async () => {
    h = await startHarness();
    const crm = h.sandbox.hubspot.crm;
    const other = crm.create('contacts', { firstname: 'Someone', company: 'Else' }).id;
    const primary = crm.create('contacts', { firstname: 'Linus', company: 'Kernel Co' }).id;
    const deal = crm.create('deals', { dealname: 'Kernel - Pro', package_name: 'Pro' }).id;
    crm.associate('deals', deal, 'contacts', other);
    crm.associate('deals', deal, 'contacts', primary, { primary: true });

    const { code, text } = await render(h, 'onboarding', deal, true);

    expect(code).toBe(0);
    const body = printedBody(text);
    expect(body.variables).toMatchObject({
      first_name: { properties: { content: 'Linus' } },
      company_name: { properties: { content: 'Kernel Co' } },
      package_name: { properties: { content: 'Pro' } },
    });
    expect(h.sandbox.heygen.ledger()).toHaveLength(0);
  });

  it('names the variant the record would get, with its template and title', async () => {
    h = await startHarness({
      tweak: (config) => {
        const campaign = config.campaigns.find((c) => c.id === 'bdr-intro');
        if (campaign) campaign.variants = [{ id: 'de', when: [{ property: 'hs_language', equals: 'de' }], template: 'tpl_bdr_intro_de', title: 'Intro für {{firstname}}' }];
      },
    });
    const crm = h.sandbox.hubspot.crm;
    const german = crm.create('contacts', { firstname: 'Greta', company: 'Werk', hs_language: 'de' }).id;
    const english = crm.create('contacts', { firstname: 'Emma', company: 'Works' }).id;

    const de = await render(h, 'bdr-intro', german, true);
    expect(de.code).toBe(0);
    expect(de.text).toMatch(new RegExp(`contacts/${german} \\(campaign bdr-intro\\): would render \\(variant de, render key rk_[0-9a-f]{64}\\)`));
    expect(de.text).toMatch(/^  POST \S+\/v3\/templates\/tpl_bdr_intro_de$/m);
    expect(printedBody(de.text).title).toMatch(/^Intro für Greta/);
    const en = await render(h, 'bdr-intro', english, true);
    expect(en.text).toMatch(new RegExp(`contacts/${english} \\(campaign bdr-intro\\): would render \\(render key rk_[0-9a-f]{64}\\)`));
    expect(en.text).toMatch(/^  POST \S+\/v3\/templates\/tpl_bdr_intro$/m);
    expect(h.sandbox.heygen.ledger()).toHaveLength(0);
  });

  it('says why a record would be skipped, and writes nothing to the CRM', async () => {
    h = await startHarness();
    const crm = h.sandbox.hubspot.crm;
    const id = crm.create('contacts', { firstname: 'n/a', company: 'Nowhere' }).id;
    const writesBefore = h.sandbox.hubspot.stats().writes.total;

    const { code, text } = await render(h, 'bdr-intro', id, true);

    expect(code).toBe(0);
    expect(text).toContain(`contacts/${id} (campaign bdr-intro): would be skipped: first_name: property firstname is a placeholder ("n/a")`);
    expect(crm.get('contacts', id)?.properties.heygen_render_error).toBeUndefined();
    expect(h.sandbox.hubspot.stats().writes.total).toBe(writesBefore);
    expect(h.sandbox.heygen.ledger()).toHaveLength(0);
  });

  it('a record that does not exist exits 1', async () => {
    h = await startHarness();
    const { code, text } = await render(h, 'bdr-intro', '999999', true);

    expect(code).toBe(1);
    expect(text).toContain('contacts/999999 (campaign bdr-intro): no such record in HubSpot');
  });
});

describe('reelay render refuses', () => {
  it('an unknown campaign, a disabled one, and an id that is not a record id', async () => {
    h = await startHarness();
    await expect(render(h, 'nope', '1', false)).rejects.toThrow(new UsageError('no campaign nope in the configuration (campaigns: bdr-intro, onboarding, renewal)'));
    await expect(render(h, 'bdr-intro', 'abc', false)).rejects.toThrow(/--object-id takes a HubSpot record id/);
    h.config.campaigns[0]!.enabled = false;
    await expect(render(h, 'bdr-intro', '1', false)).rejects.toThrow(/campaign bdr-intro is disabled/);
    expect(await storedCounts(h)).toEqual({ events: 0, renders: 0 });
  });
});
