/** The sandbox's token-info endpoints: what `doctor` asks HubSpot about its token, per kind of credential. */
import { afterEach, describe, expect, it } from 'vitest';
import { startHubSpotSandbox, type HubSpotSandbox } from '../../src/sandbox/hubspot/server.js';

const token = 'pat-na1-token-info';
let sandbox: HubSpotSandbox | undefined;

afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${sandbox?.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: await res.json() };
}

const metadata = (t = token) => call('GET', `/oauth/v1/access-tokens/${t}`);
const privateApp = (t = token) => call('POST', '/oauth/v2/private-apps/get/access-token-info', { tokenKey: t });

describe('token info', () => {
  it("a project app's static token (the default): described by the metadata endpoint, with every scope Reelay may need", async () => {
    sandbox = await startHubSpotSandbox({ accessToken: token, clientSecret: 's', appId: 7, portalId: 9 });
    const res = await metadata();
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ token, token_type: 'access', app_id: 7, hub_id: 9, is_private_distribution: true, signed_access_token: { isServiceAccount: false } });
    expect(res.body.scopes).toContain('crm.schemas.deals.write');
    expect((await privateApp()).status).toBe(404);
    expect((await metadata('pat-na1-other')).status).toBe(404);
  });

  it('a legacy private app token is known only to the private-app endpoint; a service key is marked as one', async () => {
    sandbox = await startHubSpotSandbox({ accessToken: token, clientSecret: 's', appId: 7, portalId: 9, tokenKind: 'legacy-private-app', tokenScopes: ['crm.objects.contacts.read'] });
    expect((await metadata()).status).toBe(404);
    expect(await privateApp()).toEqual({ status: 200, body: { userId: expect.any(Number), hubId: 9, appId: 7, scopes: ['crm.objects.contacts.read'] } });
    expect((await privateApp('pat-na1-other')).status).toBe(404);

    const set = await call('POST', '/_sandbox/token-info', { kind: 'service-key' });
    expect(set).toEqual({ status: 200, body: { kind: 'service-key', scopes: ['crm.objects.contacts.read'] } });
    expect((await metadata()).body).toMatchObject({ signed_access_token: { isServiceAccount: true } });
    expect((await privateApp()).status).toBe(404);
  });
});
