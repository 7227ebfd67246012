/**
 * Campaign variants (`variants:`): which template, variables and title a
 * record gets (first match wins, else the campaign's own), how variants are
 * named, that the choice is part of the render key, and that it is frozen
 * in the render's plan (a config edit does not change a stored render).
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import type { CampaignConfig } from '../../src/config/schema.js';
import { planRender } from '../../src/core/render-plan.js';
import { renderKey } from '../../src/core/render-key.js';
import { mapVariables } from '../../src/core/variables.js';
import { allMappings, chooseVariant, variantConditions } from '../../src/core/variants.js';
import { planColumn, toRender, variantOf, variablesColumn } from '../../src/store/render-mapper.js';
import type { RenderRow } from '../../src/store/schema.js';

const CONFIG = `
campaigns:
  - id: intro
    template: tpl_en
    title: "Intro for {{firstname}}"
    variables:
      first_name: { property: firstname, required: true }
    variants:
      - id: de
        when: { property: hs_language, equals: de }
        template: tpl_de
        title: "Intro für {{firstname}}"
      - when: [{ property: hs_language, in: [es, es-mx] }, { property: country, exists: true }]
        template: tpl_es
        variables:
          nombre: { property: firstname, required: true }
          pais: { property: country }
      - when: { property: hs_language, in: [de, fr] }
        template: tpl_de_fr
`;

function campaign(yaml = CONFIG): CampaignConfig {
  const found = parseConfig(yaml, {}, 'test').campaigns[0];
  if (!found) throw new Error('no campaign');
  return found;
}

const PLACEHOLDERS = ['n/a', 'unknown'];
const VALIDATION = { placeholders: PLACEHOLDERS, maxLength: 200 };

describe('variants in the configuration', () => {
  it('are named by position unless given an id; `when` is one condition or a list', () => {
    const c = campaign();
    expect(c.variants.map((v) => v.id)).toEqual(['de', 'v2', 'v3']);
    expect(c.variants[0]?.when).toEqual([{ property: 'hs_language', equals: 'de' }]);
    expect(c.variants[1]?.when).toHaveLength(2);
    expect(c.review).toBe('none');
  });

  it('refuses two variants with one id, an unknown key, and a variant without a template, naming the place', () => {
    const twice = CONFIG.replace('      - when: [{ property: hs_language, in: [es, es-mx] }', '      - id: de\n        when: [{ property: hs_language, in: [es, es-mx] }');
    expect(() => campaign(twice)).toThrow(/campaigns\[0\]\.variants\[1\]\.id.*duplicate variant id de/s);
    expect(() => campaign(CONFIG.replace('template: tpl_de\n', 'template: tpl_de\n        colour: red\n'))).toThrow(/variants\[0\].*colour/s);
    expect(() => campaign(CONFIG.replace('        template: tpl_de_fr\n', ''))).toThrow(/variants\[2\]\.template/);
    expect(() => campaign(CONFIG.replace('        template: tpl_de\n', '        template: tpl_de\n').replace('title: "Intro for {{firstname}}"', 'title: x\n    review: sometimes'))).toThrow(/review/);
  });

  it('campaigns without variants have none and no review', () => {
    const plain = campaign('campaigns:\n  - id: p\n    template: t\n    variables: {}\n');
    expect(plain.variants).toEqual([]);
    expect(plain.review).toBe('none');
    expect(chooseVariant(plain, {}, PLACEHOLDERS)).toMatchObject({ variant: null, template: 't' });
  });
});

describe('choosing a variant for a record', () => {
  const c = campaign();

  it('the first matching variant wins, compared like conditions (trimmed, any case)', () => {
    const de = chooseVariant(c, { hs_language: ' DE ' }, PLACEHOLDERS);
    expect(de).toMatchObject({ variant: 'de', template: 'tpl_de', title: 'Intro für {{firstname}}', variables: c.variables });
    // `fr` matches only the third variant.
    expect(chooseVariant(c, { hs_language: 'fr' }, PLACEHOLDERS)).toMatchObject({ variant: 'v3', template: 'tpl_de_fr', title: c.title });
  });

  it('every condition of a list must hold; a variant with its own variables uses only those', () => {
    const es = chooseVariant(c, { hs_language: 'es-mx', country: 'Mexico' }, PLACEHOLDERS);
    expect(es).toMatchObject({ variant: 'v2', template: 'tpl_es' });
    expect(Object.keys(es.variables)).toEqual(['nombre', 'pais']);
    const mapped = mapVariables(es, { record: { firstname: 'Ana', country: 'Mexico' } }, VALIDATION);
    expect(mapped).toEqual({ ok: true, variables: { nombre: 'Ana', pais: 'Mexico' }, title: 'Intro for Ana' });
    // No usable country: the Spanish variant does not match, and nothing else does either.
    expect(chooseVariant(c, { hs_language: 'es', country: 'unknown' }, PLACEHOLDERS)).toMatchObject({ variant: null, template: 'tpl_en' });
  });

  it("no match (or no value) falls back to the campaign's own template, variables and title", () => {
    for (const record of [{}, { hs_language: 'en' }, { hs_language: null }]) {
      expect(chooseVariant(c, record, PLACEHOLDERS)).toEqual({ id: 'intro', variant: null, template: 'tpl_en', title: c.title, variables: c.variables });
    }
  });

  it("the properties every variant may need are read: `when` properties and each variant's variables and title", () => {
    expect(variantConditions(c).map((w) => w.property).sort()).toEqual(['country', 'hs_language', 'hs_language', 'hs_language']);
    const titles = allMappings(c).map((m) => m.title);
    expect(titles).toEqual(['Intro for {{firstname}}', 'Intro für {{firstname}}', 'Intro for {{firstname}}', 'Intro for {{firstname}}']);
    expect(allMappings(c).flatMap((m) => Object.keys(m.variables)).sort()).toEqual(['first_name', 'first_name', 'first_name', 'nombre', 'pais']);
  });
});

describe('the variant in the render key and the plan', () => {
  const base = { portalId: '1', campaignId: 'intro', objectType: 'contacts', objectId: '7', templateId: 'tpl', title: 'Hi', variables: { first_name: 'Ada' } };

  it('a different variant is a different key; the same inputs the same key; no variant leaves the key as before', () => {
    expect(renderKey({ ...base, variant: 'de' })).toBe(renderKey({ ...base, variant: 'de' }));
    expect(renderKey({ ...base, variant: 'de' })).not.toBe(renderKey({ ...base, variant: 'v2' }));
    expect(renderKey({ ...base, variant: 'de' })).not.toBe(renderKey(base));
    expect(renderKey({ ...base, variant: null })).toBe(renderKey(base));
  });

  it('is frozen in the plan: a stored render keeps its variant and review mode whatever the config says later', () => {
    const config = parseConfig(CONFIG, {}, 'test');
    const c = config.campaigns[0] as CampaignConfig;
    const recipient = { objectType: 'contacts', objectId: '7' };
    const plan = planRender(config, { ...c, review: 'required' }, { recipient, trigger: null }, 'de');
    expect(plan).toMatchObject({ variant: 'de', review: 'required' });
    expect(planRender(config, c, { recipient, trigger: null })).not.toHaveProperty('variant');
    expect(planRender(config, c, { recipient, trigger: null })).not.toHaveProperty('review');

    const row = {
      id: 1, event_id: null, portal_id: '1', campaign_id: 'intro', object_type: 'contacts', object_id: '7', trigger_object_type: null,
      trigger_object_id: null, state: 'awaiting_review', render_key: renderKey({ ...base, variant: 'de' }), scope: null, submission: 1, api: 'v3',
      template_id: 'tpl_de', title: 'Hi', variables: variablesColumn({ first_name: 'Ada' }), plan: planColumn(plan), video_id: 'vid', suggested_video_id: null,
      heygen_status: 'completed', video_url: null, video_url_expires_at: null, share_url: null, link_token: 'tok', review_link: 'https://x/v/tok', review_thumbnail: null, error_code: null,
      error_message: null, crm_status: 'PROCESSING', attempts: 0, run_at: 0, leased_by: null, lease_until: null, created_at: 0, updated_at: 0,
      submitted_at: 0, finished_at: null,
    } satisfies RenderRow;
    // The config now has no variants and no review: the stored plan still says what the render was enriched with.
    const edited = planRender(config, { ...c, review: 'none' }, { recipient, trigger: null });
    const render = toRender(row, () => edited);
    expect(render.content?.plan).toMatchObject({ variant: 'de', review: 'required' });
    expect(render).toMatchObject({ state: 'awaiting_review', videoId: 'vid', reviewLink: 'https://x/v/tok' });
    expect(variantOf(row)).toBe('de');
    expect(variantOf({ plan: null })).toBeNull();
    expect(variantOf({ plan: planColumn(edited) })).toBeNull();
  });
});
