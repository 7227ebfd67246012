/**
 * CRM values are data, never template text: a value holding `{{...}}`,
 * `${...}` or a `$&` replacement pattern reaches HeyGen exactly as typed, in
 * the variables and in the title (the sandbox ledger shows the create body).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.js';

describe('CRM values with template syntax', () => {
  let h: Harness;
  afterEach(async () => h?.stop());

  it('reach HeyGen as literal text', async () => {
    h = await startHarness({
      tweak: (c) => {
        const intro = c.campaigns.find((x) => x.id === 'bdr-intro');
        if (!intro) throw new Error('no bdr-intro campaign');
        intro.variables.conversion_event = { template: 'saw {{firstname}} / {{company}}', required: false, type: 'text' };
      },
    });
    const firstname = '{{company}} ${firstname}';
    const company = "${HEYGEN_API_KEY} $& $1 $$ $` $' {{ firstname }}";
    const crm = h.sandbox.hubspot.crm;
    const id = crm.create('contacts', { firstname, company }).id;
    await h.postHubSpot({ hs_object_id: Number(id) }, { query: '?campaign=bdr-intro' });
    await h.waitFor(async () => crm.get('contacts', id)?.properties.heygen_render_status === 'COMPLETED', 20_000, 'the video');

    const [entry, ...others] = h.sandbox.heygen.ledger();
    expect(others).toHaveLength(0);
    expect(entry?.variables).toEqual({
      first_name: firstname,
      company_name: company,
      conversion_event: `saw ${firstname} / ${company}`,
    });
    expect(entry?.unfilled_variables).toEqual([]);
    expect(entry?.title?.startsWith(`Intro for ${firstname} at ${company} [rk:`)).toBe(true);
  });
});
