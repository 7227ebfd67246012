import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHubSpotSandbox, type HubSpotSandbox } from '../../src/sandbox/hubspot/server.js';

const token = 'pat-assoc';
let sb: HubSpotSandbox;

beforeEach(async () => {
  sb = await startHubSpotSandbox({ accessToken: token, clientSecret: 's', burst: 1000 });
});
afterEach(async () => {
  await sb.close();
});

async function api(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${sb.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text === '' ? undefined : JSON.parse(text) };
}

describe('associations v4', () => {
  it('creates default associations over the API, in both directions, and lists them with numeric ids', async () => {
    const deal = sb.crm.create('deals', { dealname: 'D' });
    const contact = sb.crm.create('contacts', { firstname: 'C' });
    const put = await api('PUT', `/crm/v4/objects/deals/${deal.id}/associations/default/contacts/${contact.id}`);
    expect(put.status).toBe(200);
    expect(put.body.status).toBe('COMPLETE');

    const forward = await api('GET', `/crm/v4/objects/deals/${deal.id}/associations/contacts`);
    expect(forward.status).toBe(200);
    expect(forward.body.results).toEqual([{ toObjectId: Number(contact.id), associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 3, label: null }] }]);
    const back = await api('GET', `/crm/v4/objects/contacts/${contact.id}/associations/deals`);
    expect(back.body.results[0]).toMatchObject({ toObjectId: Number(deal.id), associationTypes: [{ typeId: 4 }] });

    const emptyJsonBody = await fetch(`${sb.url}/crm/v4/objects/contacts/${contact.id}/associations/default/deals/${deal.id}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    });
    expect(emptyJsonBody.status).toBe(200);
    const missing = await api('PUT', `/crm/v4/objects/deals/${deal.id}/associations/default/contacts/999999`);
    expect(missing.status).toBe(404);
  });

  it('marks one deal contact as Primary (a labelled association) and moves the label when another is made primary', async () => {
    const deal = sb.crm.create('deals', { dealname: 'D' });
    const [a, b] = sb.crm.createMany('contacts', [{ properties: { firstname: 'A' } }, { properties: { firstname: 'B' } }]);
    sb.crm.associate('deals', deal.id, 'contacts', a!.id, { primary: true });
    sb.crm.associate('deals', deal.id, 'contacts', b!.id);
    const primaryOf = async () => {
      const res = await api('GET', `/crm/v4/objects/deals/${deal.id}/associations/contacts`);
      return res.body.results.filter((r: any) => r.associationTypes.some((t: any) => t.label === 'Primary')).map((r: any) => String(r.toObjectId));
    };
    expect(await primaryOf()).toEqual([a!.id]);

    const labelled = await api('PUT', `/crm/v4/objects/deals/${deal.id}/associations/contacts/${b!.id}`, [
      { associationCategory: 'USER_DEFINED', associationTypeId: 103 },
    ]);
    expect(labelled.status).toBe(201);
    expect(labelled.body).toMatchObject({ fromObjectTypeId: '0-3', toObjectTypeId: '0-1', labels: ['Primary'] });
    expect(await primaryOf()).toEqual([b!.id]);

    const wrongType = await api('PUT', `/crm/v4/objects/deals/${deal.id}/associations/contacts/${b!.id}`, [
      { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 279 },
    ]);
    expect(wrongType.status).toBe(400);
  });

  it('pages one record\'s associations with after', async () => {
    const company = sb.crm.create('companies', { name: 'Acme' });
    const contacts = sb.crm.createMany('contacts', Array.from({ length: 7 }, (_, i) => ({ properties: { firstname: `C${i}` } })));
    for (const c of contacts) sb.crm.associate('companies', company.id, 'contacts', c.id);
    const first = await api('GET', `/crm/v4/objects/companies/${company.id}/associations/contacts?limit=5`);
    expect(first.body.results).toHaveLength(5);
    const second = await api('GET', `/crm/v4/objects/companies/${company.id}/associations/contacts?limit=5&after=${first.body.paging.next.after}`);
    expect(second.body.results).toHaveLength(2);
    expect(second.body.paging).toBeUndefined();
  });

  it('batch reads associations; records with none come back as 207 errors', async () => {
    const [d1, d2, d3] = sb.crm.createMany('deals', [{ properties: { dealname: '1' } }, { properties: { dealname: '2' } }, { properties: { dealname: '3' } }]);
    const [c1, c2] = sb.crm.createMany('contacts', [{ properties: { firstname: 'x' } }, { properties: { firstname: 'y' } }]);
    sb.crm.associate('deals', d1!.id, 'contacts', c1!.id, { primary: true });
    sb.crm.associate('deals', d1!.id, 'contacts', c2!.id);
    sb.crm.associate('deals', d2!.id, 'contacts', c2!.id);
    const res = await api('POST', '/crm/v4/associations/deals/contacts/batch/read', { inputs: [{ id: d1!.id }, { id: d2!.id }, { id: d3!.id }] });
    expect(res.status).toBe(207);
    const byId = new Map(res.body.results.map((r: any) => [r.from.id, r.to]));
    expect((byId.get(d1!.id) as any[]).map((t) => t.toObjectId)).toEqual([Number(c1!.id), Number(c2!.id)]);
    expect((byId.get(d2!.id) as any[])[0].associationTypes).toEqual([{ category: 'HUBSPOT_DEFINED', typeId: 3, label: null }]);
    expect(res.body.errors).toEqual([expect.objectContaining({ category: 'OBJECT_NOT_FOUND', context: { fromObjectId: [d3!.id] } })]);

    const allFound = await api('POST', '/crm/v4/associations/deals/contacts/batch/read', { inputs: [{ id: d2!.id }] });
    expect(allFound.status).toBe(200);
  });
});

describe('properties', () => {
  const statusProperty = {
    name: 'heygen_render_status',
    label: 'Render status',
    type: 'enumeration',
    fieldType: 'select',
    groupName: 'video_automation',
    options: ['PENDING', 'PROCESSING', 'COMPLETED', 'FAILED'].map((v, i) => ({ label: v, value: v, displayOrder: i, hidden: false })),
  };

  it('creates a group and a property, reads them back, and answers 409 on a second create', async () => {
    expect((await api('POST', '/crm/v3/properties/contacts', statusProperty)).status).toBe(400);
    const group = await api('POST', '/crm/v3/properties/contacts/groups', { name: 'video_automation', label: 'Video Automation' });
    expect(group.status).toBe(201);
    expect((await api('POST', '/crm/v3/properties/contacts/groups', { name: 'video_automation', label: 'Again' })).status).toBe(409);
    expect((await api('GET', '/crm/v3/properties/contacts/groups/video_automation')).body.label).toBe('Video Automation');

    const created = await api('POST', '/crm/v3/properties/contacts', statusProperty);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'heygen_render_status', type: 'enumeration', hubspotDefined: false });
    const read = await api('GET', '/crm/v3/properties/contacts/heygen_render_status');
    expect(read.body.options.map((o: any) => o.value)).toEqual(['PENDING', 'PROCESSING', 'COMPLETED', 'FAILED']);
    const again = await api('POST', '/crm/v3/properties/contacts', statusProperty);
    expect(again.status).toBe(409);
    expect(again.body.category).toBe('CONFLICT');

    const all = await api('GET', '/crm/v3/properties/contacts');
    expect(all.body.results.map((p: any) => p.name)).toEqual(expect.arrayContaining(['firstname', 'lifecyclestage', 'heygen_render_status']));
    expect((await api('GET', '/crm/v3/properties/contacts/not_here')).status).toBe(404);
  });

  it('validates the type and field type, and the new property is writable and enforced at once', async () => {
    sb.crm.properties.createGroup('contacts', { name: 'video_automation', label: 'Video Automation' });
    expect((await api('POST', '/crm/v3/properties/contacts', { ...statusProperty, type: 'picklist' })).status).toBe(400);
    expect((await api('POST', '/crm/v3/properties/contacts', { ...statusProperty, fieldType: 'text' })).status).toBe(400);
    await api('POST', '/crm/v3/properties/contacts', statusProperty);
    const contact = sb.crm.create('contacts', { firstname: 'Ann' });
    expect((await api('PATCH', `/crm/v3/objects/contacts/${contact.id}`, { properties: { heygen_render_status: 'PENDING' } })).status).toBe(200);
    expect((await api('PATCH', `/crm/v3/objects/contacts/${contact.id}`, { properties: { heygen_render_status: 'DONE' } })).status).toBe(400);
  });

  it('updates options with PATCH', async () => {
    sb.crm.properties.createGroup('deals', { name: 'video_automation', label: 'Video Automation' });
    await api('POST', '/crm/v3/properties/deals', statusProperty);
    const patched = await api('PATCH', '/crm/v3/properties/deals/heygen_render_status', {
      options: [...statusProperty.options, { label: 'SKIPPED', value: 'SKIPPED', displayOrder: 4, hidden: false }],
    });
    expect(patched.status).toBe(200);
    expect(patched.body.options).toHaveLength(5);
    const deal = sb.crm.create('deals', { dealname: 'x' });
    expect(sb.crm.update('deals', deal.id, { heygen_render_status: 'SKIPPED' }).properties.heygen_render_status).toBe('SKIPPED');
    expect((await api('PATCH', '/crm/v3/properties/deals/hs_object_id', { label: 'nope' })).status).toBe(400);
  });
});

describe('tickets', () => {
  it('serves ticket records, their properties, and associations with contacts (16 and 15, by name or 0-5) over the API', async () => {
    const created = await api('POST', '/crm/objects/2026-03/tickets', { properties: { subject: 'Printer on fire', hs_pipeline: '0', hs_pipeline_stage: '1' } });
    expect(created.status).toBe(201);
    const ticket = String(created.body.id);
    const stage = await api('GET', '/crm/properties/2026-03/tickets/hs_pipeline_stage');
    expect(stage.body).toMatchObject({ type: 'enumeration', options: expect.arrayContaining([expect.objectContaining({ value: '4', label: 'Closed' })]) });
    const contact = sb.crm.create('contacts', { firstname: 'Ada' });

    const put = await api('PUT', `/crm/v4/objects/0-5/${ticket}/associations/default/contacts/${contact.id}`);
    expect(put.status).toBe(200);
    const forward = await api('GET', `/crm/v4/objects/tickets/${ticket}/associations/contacts`);
    expect(forward.body.results).toEqual([{ toObjectId: Number(contact.id), associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 16, label: null }] }]);
    const back = await api('POST', '/crm/v4/associations/contacts/tickets/batch/read', { inputs: [{ id: contact.id }] });
    expect(back.body.results[0]).toMatchObject({ from: { id: contact.id }, to: [{ toObjectId: Number(ticket), associationTypes: [{ typeId: 15 }] }] });

    const updated = await api('PATCH', `/crm/objects/2026-03/tickets/${ticket}`, { properties: { hs_pipeline_stage: '4' } });
    expect(updated.status).toBe(200);
    expect(sb.crm.get('tickets', ticket)?.properties.hs_pipeline_stage).toBe('4');
  });

  it('grants the scope `tickets` by default (HubSpot has no crm.objects.tickets.read)', async () => {
    const info = await api('GET', `/oauth/v1/access-tokens/${token}`);
    expect(info.body.scopes).toContain('tickets');
    expect(info.body.scopes).toContain('crm.schemas.tickets.write');
    expect(info.body.scopes).not.toContain('crm.objects.tickets.read');
  });
});
