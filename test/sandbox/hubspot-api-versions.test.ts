/**
 * The sandbox serves HubSpot's numbered (`/crm/v3`, `/crm/v4`,
 * `/account-info/v3`) and date-based 2026-03 paths alike, and Reelay's client
 * makes every CRM call it has through the path table `hubspot.apiVersion`
 * names, and only through it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { createHubSpotClient } from '../../src/hubspot/client.js';
import { hubspotPathsFor, hubspotApiVersions } from '../../src/hubspot/paths.js';
import { startHubSpotSandbox, type HubSpotSandbox } from '../../src/sandbox/hubspot/server.js';

const token = 'pat-versions';
let sb: HubSpotSandbox;
afterEach(async () => sb?.close());

async function api(method: string, path: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${sb.url}${path}`, { method, headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: await res.json() };
}

describe.each(hubspotApiVersions)('the client on apiVersion %s', (version) => {
  it('reads, searches, writes, follows associations, manages properties and reads the account through that version alone', async () => {
    sb = await startHubSpotSandbox({ accessToken: token, clientSecret: 's', burst: 1000, timeZone: 'America/New_York', portalId: 4242 });
    const hubspot = createHubSpotClient({ baseUrl: sb.url, accessToken: token, timeoutMs: 5_000, paths: hubspotPathsFor(version) });
    const contact = sb.crm.create('contacts', { firstname: 'Ada', email: 'ada@example.com' });
    const deal = sb.crm.create('deals', { dealname: 'Big' });
    sb.crm.associate('deals', deal.id, 'contacts', contact.id, { primary: true });

    expect((await hubspot.getObject('contacts', contact.id, ['firstname']))?.properties.firstname).toBe('Ada');
    expect(await hubspot.getObject('contacts', '999999', ['firstname'])).toBeNull();
    const read = await hubspot.batchRead('contacts', [contact.id, '999999'], ['firstname']);
    expect(read.records.map((r) => r.id)).toEqual([contact.id]);
    expect(read.missing).toEqual(['999999']);
    const found = await hubspot.search('contacts', {
      filterGroups: [{ filters: [{ propertyName: 'email', operator: 'EQ', value: 'ada@example.com' }] }],
      properties: ['firstname'],
      limit: 10,
    });
    expect(found.results.map((r) => r.id)).toEqual([contact.id]);

    const links = await hubspot.getAssociations('deals', deal.id, 'contacts');
    expect(links).toEqual([{ toObjectId: contact.id, labels: expect.any(Array), typeIds: expect.arrayContaining([3]) }]);
    const batch = await hubspot.batchAssociations('deals', 'contacts', [deal.id]);
    expect(batch.get(deal.id)?.map((a) => a.toObjectId)).toEqual([contact.id]);

    expect(await hubspot.getPropertyGroup('contacts', 'video_automation')).toBeNull();
    await hubspot.createPropertyGroup('contacts', { name: 'video_automation', label: 'Video Automation' });
    await hubspot.createProperty('contacts', { name: 'heygen_video_url', label: 'Video', type: 'string', fieldType: 'text', groupName: 'video_automation' });
    expect((await hubspot.getProperty('contacts', 'heygen_video_url'))?.groupName).toBe('video_automation');
    expect((await hubspot.listProperties('contacts')).some((p) => p.name === 'heygen_video_url')).toBe(true);
    await hubspot.updateProperty('contacts', 'heygen_video_url', { label: 'Video link' });

    await hubspot.updateObject('contacts', contact.id, { heygen_video_url: 'https://v/1' });
    const updated = await hubspot.batchUpdate('contacts', [{ id: contact.id, properties: { heygen_video_url: 'https://v/2' } }]);
    expect(updated).toEqual({ updated: [contact.id], failed: [] });
    expect(sb.crm.get('contacts', contact.id)?.properties.heygen_video_url).toBe('https://v/2');
    await hubspot.probe('contacts');

    expect(await hubspot.accountDetails()).toEqual({
      portalId: 4242,
      timeZone: 'America/New_York',
      accountType: 'STANDARD',
      uiDomain: 'app.hubspot.com',
      dataHostingLocation: 'na1',
    });
    // Kept for the client's life: asking again costs no call.
    await hubspot.accountDetails();
    expect(sb.stats().calls['account.details']).toBe(1);

    const used = Object.keys(sb.stats().apiVersions).sort();
    expect(used).toEqual(version === 'v3' ? ['v3', 'v4'] : ['2026-03']);
  });
});

describe('date-based paths in the sandbox', () => {
  it('types association toObjectId as a string on 2026-03 (the spec) and a number on v4 (observed); the client takes both', async () => {
    sb = await startHubSpotSandbox({ accessToken: token, clientSecret: 's' });
    const deal = sb.crm.create('deals', { dealname: 'D' });
    const contact = sb.crm.create('contacts', { firstname: 'C' });
    sb.crm.associate('deals', deal.id, 'contacts', contact.id);
    expect((await api('GET', `/crm/objects/2026-03/deals/${deal.id}/associations/contacts`)).body.results[0].toObjectId).toBe(contact.id);
    expect((await api('GET', `/crm/v4/objects/deals/${deal.id}/associations/contacts`)).body.results[0].toObjectId).toBe(Number(contact.id));
  });

  it('account-info answers every field HubSpot\'s PortalInformationResponse requires, with the offset of the portal\'s zone now', async () => {
    const clock = new ManualClock(Date.UTC(2026, 6, 1, 12));
    sb = await startHubSpotSandbox({ accessToken: token, clientSecret: 's', clock, timeZone: 'America/New_York', portalId: 77 });
    for (const path of ['/account-info/2026-03/details', '/account-info/v3/details']) {
      const res = await api('GET', path);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        portalId: 77,
        accountType: 'STANDARD',
        timeZone: 'America/New_York',
        companyCurrency: 'USD',
        additionalCurrencies: [],
        utcOffset: '-04:00',
        utcOffsetMilliseconds: -14_400_000,
        uiDomain: 'app.hubspot.com',
        dataHostingLocation: 'na1',
      });
    }
    const unauthorised = await fetch(`${sb.url}/account-info/2026-03/details`);
    expect(unauthorised.status).toBe(401);
  });

  it('resets the daily count at midnight in the portal\'s time zone, not UTC', async () => {
    // 2026-03-08 (the US spring-forward day) 04:59:59 UTC = 23:59:59 on the 7th in New York.
    const clock = new ManualClock(Date.UTC(2026, 2, 8, 4, 59, 59));
    sb = await startHubSpotSandbox({ accessToken: token, clientSecret: 's', clock, timeZone: 'America/New_York', daily: 1 });
    expect((await api('GET', '/crm/objects/2026-03/contacts?limit=1')).status).toBe(200);
    const refused = await fetch(`${sb.url}/crm/objects/2026-03/contacts?limit=1`, { headers: { authorization: `Bearer ${token}` } });
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({ policyName: 'DAILY' });
    clock.advance(1_000); // midnight in New York, still 05:00 UTC
    expect((await api('GET', '/crm/objects/2026-03/contacts?limit=1')).status).toBe(200);
  });
});

describe('2026-03 property writes', () => {
  it('require displayOrder and hidden on every option (OptionInput), as v3 does not', async () => {
    sb = await startHubSpotSandbox({ accessToken: token, clientSecret: 's' });
    const post = (path: string, body: unknown) =>
      fetch(`${sb.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const definition = (name: string, options: unknown[]) => ({ name, label: name, type: 'enumeration', fieldType: 'select', groupName: 'contactinformation', options });
    const loose = [{ label: 'Done', value: 'DONE' }];
    const full = [{ label: 'Done', value: 'DONE', displayOrder: 0, hidden: false }];
    expect((await post('/crm/properties/2026-03/contacts', definition('a_status', loose))).status).toBe(400);
    expect((await post('/crm/properties/2026-03/contacts', definition('a_status', full))).status).toBe(201);
    expect((await post('/crm/v3/properties/contacts', definition('b_status', loose))).status).toBe(201);
  });
});
