import { Signature } from '@hubspot/api-client';
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startHubSpotSandbox, type HubSpotSandboxOptions } from '../../src/sandbox/hubspot/server.js';

const clientSecret = 'c0ffee00-1111-2222-3333-444455556666';
const fast = { retryDelayMs: 5, retryMaxDelayMs: 20, batchDelayMs: 5 };

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}
type Answer = number | { status: number; headers?: Record<string, string> } | 'destroy';

interface Receiver {
  url: string;
  received: Received[];
  maxConcurrent: () => number;
  close: () => Promise<void>;
}

/** A real HTTP target that records what arrives and answers as scripted (n = 0 for the first request). */
async function startReceiver(answer: (req: Received, n: number) => Answer = () => 200, holdMs = 0): Promise<Receiver> {
  const received: Received[] = [];
  let inFlight = 0;
  let max = 0;
  const server = createServer((req, res) => {
    inFlight++;
    max = Math.max(max, inFlight);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const entry: Received = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      const n = received.length;
      received.push(entry);
      const reply = () => {
        inFlight--;
        const a = answer(entry, n);
        if (a === 'destroy') {
          req.socket.destroy();
          return;
        }
        const { status, headers } = typeof a === 'number' ? { status: a, headers: {} } : a;
        res.writeHead(status, headers).end('{}');
      };
      if (holdMs > 0) setTimeout(reply, holdMs);
      else reply();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/hubspot`,
    received,
    maxConcurrent: () => max,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(answer?: (req: Received, n: number) => Answer, opts: Partial<HubSpotSandboxOptions> = {}, holdMs = 0) {
  const receiver = await startReceiver(answer, holdMs);
  cleanups.push(receiver.close);
  const sb = await startHubSpotSandbox({ accessToken: 't', clientSecret, webhookTarget: receiver.url, seed: 42, ...opts, webhooks: { ...fast, ...opts.webhooks } });
  cleanups.push(sb.close);
  return { sb, receiver };
}

const events = (r: Received): any[] => JSON.parse(r.body);

describe('workflow webhooks', () => {
  it('posts one flat object of the keys a real admin maps by default, with a v2 signature the SDK accepts', async () => {
    const { sb, receiver } = await setup();
    const contact = sb.crm.create('contacts', { firstname: 'Zoë', lastname: 'Ng', email: 'zoe@example.com', lifecyclestage: 'marketingqualifiedlead' });
    const outcome = await sb.webhooks.sendWorkflow({ objectType: 'contacts', objectId: contact.id, campaign: 'bdr-intro' });
    expect(outcome).toEqual({ delivered: true, attempts: 1, lastStatus: 200 });
    const [req] = receiver.received;
    expect(req?.url).toBe('/webhooks/hubspot?campaign=bdr-intro');
    // Only the mapped keys: no objectId, no unmapped property such as lifecyclestage.
    expect(JSON.parse(req!.body)).toEqual({ hs_object_id: contact.id, email: 'zoe@example.com', firstname: 'Zoë', lastname: 'Ng' });
    expect(req!.headers['x-hubspot-signature-version']).toBe('v2');
    const valid = Signature.isValid({
      signatureVersion: 'v2',
      signature: String(req!.headers['x-hubspot-signature']),
      method: 'POST',
      clientSecret,
      requestBody: req!.body,
      url: `${receiver.url}?campaign=bdr-intro`,
    });
    expect(valid).toBe(true);
  });

  it('carries exactly the keys the workflow maps, under the names it gives them, and no record id unless mapped', async () => {
    const { sb, receiver } = await setup();
    const contact = sb.crm.create('contacts', { firstname: 'Ann', email: 'ann@example.com', lifecyclestage: 'lead' });
    const send = (properties: NonNullable<Parameters<typeof sb.webhooks.sendWorkflow>[0]['properties']>) =>
      sb.webhooks.sendWorkflow({ objectType: 'contacts', objectId: contact.id, properties });
    await send(['firstname', 'email']);
    await send({ contact_id: 'hs_object_id', first_name: 'firstname', missing: 'no_such_property' });
    await send('all');
    const [listed, renamed, all] = receiver.received.map((r) => JSON.parse(r.body));
    expect(listed).toEqual({ firstname: 'Ann', email: 'ann@example.com' });
    expect(renamed).toEqual({ contact_id: contact.id, first_name: 'Ann', missing: null });
    expect(all).toMatchObject({ hs_object_id: contact.id, firstname: 'Ann', email: 'ann@example.com', lifecyclestage: 'lead' });
    expect(all).not.toHaveProperty('objectId');
  });

  it('maps a deal or company workflow to that object type\'s usual keys by default', async () => {
    const { sb, receiver } = await setup();
    const deal = sb.crm.create('deals', { dealname: 'Big one', dealstage: 'closedwon', amount: '1000' });
    await sb.webhooks.sendWorkflow({ objectType: 'deals', objectId: deal.id });
    expect(Object.keys(JSON.parse(receiver.received[0]!.body)).sort()).toEqual(['amount', 'dealname', 'dealstage', 'hs_object_id']);
  });

  it('retries 5xx and connection failures, then succeeds', async () => {
    const { sb, receiver } = await setup((_r, n) => (n === 0 ? 500 : n === 1 ? 'destroy' : n === 2 ? 503 : 200));
    const contact = sb.crm.create('contacts', { firstname: 'Ann' });
    const outcome = await sb.webhooks.sendWorkflow({ objectType: 'contacts', objectId: contact.id });
    expect(outcome).toMatchObject({ delivered: true, attempts: 4, lastStatus: 200 });
    expect(receiver.received).toHaveLength(4);
    expect(new Set(receiver.received.map((r) => r.body)).size).toBe(1);
  });

  it('does not retry a 400, but does retry a 429 after its Retry-After (milliseconds)', async () => {
    const { sb, receiver } = await setup((_r, n) => (n === 0 ? 400 : n === 1 ? { status: 429, headers: { 'retry-after': '10' } } : 200));
    const contact = sb.crm.create('contacts', { firstname: 'Ann' });
    expect(await sb.webhooks.sendWorkflow({ objectType: 'contacts', objectId: contact.id })).toMatchObject({ delivered: false, attempts: 1, lastStatus: 400 });
    expect(await sb.webhooks.sendWorkflow({ objectType: 'contacts', objectId: contact.id })).toMatchObject({ delivered: true, attempts: 2 });
    expect(receiver.received).toHaveLength(3);
    expect(sb.stats().webhooks.workflow).toMatchObject({ sent: 2, delivered: 1, failed: 1, attempts: 3 });
  });

  it('can be triggered through the control API', async () => {
    const { sb, receiver } = await setup();
    const contact = sb.crm.create('contacts', { firstname: 'Ann', company: 'Acme' });
    const res = await fetch(`${sb.url}/_sandbox/workflow`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ objectType: 'contacts', objectId: contact.id, campaign: 'c1', properties: ['firstname'], wait: true }),
    });
    expect(await res.json()).toMatchObject({ delivered: true });
    expect(JSON.parse(receiver.received[0]!.body)).toEqual({ firstname: 'Ann' });
    await fetch(`${sb.url}/_sandbox/workflow`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ objectType: 'contacts', objectId: contact.id, properties: { record: 'hs_object_id' }, wait: true }),
    });
    expect(JSON.parse(receiver.received[1]!.body)).toEqual({ record: contact.id });
    const missing = await fetch(`${sb.url}/_sandbox/workflow`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ objectType: 'contacts', objectId: '999999' }),
    });
    expect(missing.status).toBe(404);
  });
});

describe('subscription webhooks', () => {
  it('delivers property changes as an array signed v1 and v3, both accepted by the SDK', async () => {
    const { sb, receiver } = await setup();
    sb.webhooks.setSubscriptions([{ subscriptionType: 'contact.propertyChange', propertyName: 'lifecyclestage' }]);
    const contact = sb.crm.create('contacts', { firstname: 'Ann', lifecyclestage: 'lead' });
    sb.crm.update('contacts', contact.id, { lifecyclestage: 'marketingqualifiedlead' });
    await sb.webhooks.drain();

    const all = receiver.received.flatMap(events);
    expect(all.map((e) => e.propertyValue)).toEqual(['lead', 'marketingqualifiedlead']);
    expect(all[1]).toMatchObject({
      subscriptionType: 'object.propertyChange',
      objectTypeId: '0-1',
      portalId: 62515,
      appId: 1160452,
      objectId: Number(contact.id),
      propertyName: 'lifecyclestage',
      attemptNumber: 0,
      changeSource: 'CRM_UI',
    });
    expect(typeof all[1].eventId).toBe('number');
    expect(typeof all[1].occurredAt).toBe('number');

    const req = receiver.received[0]!;
    expect(req.headers['x-hubspot-signature-version']).toBe('v1');
    expect(Signature.isValid({ signatureVersion: 'v1', signature: String(req.headers['x-hubspot-signature']), clientSecret, requestBody: req.body })).toBe(true);
    expect(
      Signature.isValid({
        signatureVersion: 'v3',
        signature: String(req.headers['x-hubspot-signature-v3']),
        method: 'POST',
        clientSecret,
        requestBody: req.body,
        url: receiver.url,
        timestamp: Number(req.headers['x-hubspot-request-timestamp']),
      }),
    ).toBe(true);
  });

  it('sends only the chosen signature version', async () => {
    const { sb, receiver } = await setup(undefined, { webhooks: { signatureVersion: 'v3' } });
    sb.webhooks.setSubscriptions([{ subscriptionType: 'contact.creation' }]);
    sb.crm.create('contacts', { firstname: 'Ann' });
    await sb.webhooks.drain();
    const req = receiver.received[0]!;
    expect(req.headers['x-hubspot-signature']).toBeUndefined();
    expect(req.headers['x-hubspot-signature-v3']).toBeTypeOf('string');
    expect(events(req)[0]).toMatchObject({ subscriptionType: 'object.creation', objectTypeId: '0-1', changeFlag: 'NEW' });
  });

  it('sends generic object.* events by default, legacy ones on request, and both in one delivery when mixed', async () => {
    const { sb, receiver } = await setup();
    // Subscriptions in either form: the generic one as a project's webhooks-hsmeta.json names it.
    sb.webhooks.setSubscriptions([
      { subscriptionType: 'object.propertyChange', objectType: 'deal', propertyName: 'dealstage' },
      { subscriptionType: 'object.propertyChange', objectTypeId: '0-2', propertyName: 'name' },
      { subscriptionType: 'contact.propertyChange', propertyName: 'lifecyclestage' },
    ]);
    const deal = sb.crm.create('deals', { dealname: 'D' });
    const company = sb.crm.create('companies', { domain: 'c.example' });
    const contact = sb.crm.create('contacts', { firstname: 'A' });
    const steps = {
      one: ['qualifiedtobuy', 'lead'],
      two: ['contractsent', 'marketingqualifiedlead'],
      three: ['closedwon', 'customer'],
    } as const;
    const change = (step: keyof typeof steps) => {
      sb.crm.update('deals', deal.id, { dealstage: steps[step][0] });
      sb.crm.update('companies', company.id, { name: step });
      sb.crm.update('contacts', contact.id, { lifecyclestage: steps[step][1] });
    };
    change('one');
    await sb.webhooks.drain();
    const generic = receiver.received.flatMap(events);
    expect(generic.map((e) => [e.subscriptionType, e.objectTypeId, e.objectId])).toEqual([
      ['object.propertyChange', '0-3', Number(deal.id)],
      ['object.propertyChange', '0-2', Number(company.id)],
      ['object.propertyChange', '0-1', Number(contact.id)],
    ]);

    receiver.received.length = 0;
    sb.webhooks.configure({ eventForm: 'legacy' });
    change('two');
    await sb.webhooks.drain();
    const legacy = receiver.received.flatMap(events);
    expect(legacy.map((e) => e.subscriptionType)).toEqual(['deal.propertyChange', 'company.propertyChange', 'contact.propertyChange']);
    expect(legacy.every((e) => !('objectTypeId' in e))).toBe(true);

    receiver.received.length = 0;
    sb.webhooks.configure({ eventForm: 'mixed' });
    change('three');
    await sb.webhooks.drain();
    expect(receiver.received).toHaveLength(1);
    const kinds = new Set(events(receiver.received[0]!).map((e) => e.subscriptionType.split('.')[0]));
    expect(kinds.has('object') && kinds.size > 1).toBe(true);

    expect(() => sb.webhooks.setSubscriptions([{ subscriptionType: 'object.propertyChange', objectTypeId: '2-12345', propertyName: 'x' }])).toThrow(/objectTypeId/);
  });

  it('signs v3 over the URI with the escapes HubSpot decodes (%3A %2F %3F %40 %21 %24 %27 %28 %29 %2A %2C %3B) decoded', async () => {
    const { sb, receiver } = await setup(undefined, { webhooks: { signatureVersion: 'v3' } });
    const query = '?campaign=renewal&x=a%3Ab%2Fc%3Fd%40e%21f%24g%27h%28i%29j%2Ak%2Cl%3Bm&y=%20%25%3D%26';
    sb.webhooks.setTarget(`${receiver.url}${query}`);
    sb.webhooks.setSubscriptions([{ subscriptionType: 'contact.creation' }]);
    sb.crm.create('contacts', { firstname: 'Ann' });
    await sb.webhooks.drain();
    const req = receiver.received[0]!;
    expect(req.url).toBe(`/webhooks/hubspot${query}`);
    const decoded = `${receiver.url}?campaign=renewal&x=a:b/c?d@e!f$g'h(i)j*k,l;m&y=%20%25%3D%26`;
    const timestamp = String(req.headers['x-hubspot-request-timestamp']);
    // Computed here, independently of the sandbox's signer.
    const expected = createHmac('sha256', clientSecret).update(`POST${decoded}${req.body}${timestamp}`).digest('base64');
    expect(req.headers['x-hubspot-signature-v3']).toBe(expected);
  });

  it('retries on 4xx and 5xx with attemptNumber counting up', async () => {
    const { sb, receiver } = await setup((_r, n) => (n === 0 ? 400 : n === 1 ? 500 : 200));
    sb.webhooks.setSubscriptions([{ subscriptionType: 'deal.propertyChange', propertyName: 'dealstage' }]);
    const deal = sb.crm.create('deals', { dealname: 'D' });
    sb.crm.update('deals', deal.id, { dealstage: 'closedwon' });
    await sb.webhooks.drain();
    expect(receiver.received.map((r) => events(r)[0].attemptNumber)).toEqual([0, 1, 2]);
    expect(new Set(receiver.received.map((r) => events(r)[0].eventId)).size).toBe(1);
    expect(sb.stats().webhooks.subscription).toMatchObject({ batches: 1, attempts: 3, delivered: 1, failed: 0 });
  });

  it('gives up after subscriptionMaxAttempts', async () => {
    const { sb, receiver } = await setup(() => 500, { webhooks: { subscriptionMaxAttempts: 3 } });
    sb.webhooks.setSubscriptions([{ subscriptionType: 'company.creation' }]);
    sb.crm.create('companies', { name: 'Acme' });
    await sb.webhooks.drain();
    expect(receiver.received).toHaveLength(3);
    expect(sb.stats().webhooks.subscription.failed).toBe(1);
  });

  it('raises no event for unchanged values or unsubscribed properties such as our own heygen_* writes', async () => {
    const { sb, receiver } = await setup();
    sb.crm.properties.createGroup('contacts', { name: 'video_automation', label: 'Video Automation' });
    sb.crm.properties.create('contacts', { name: 'heygen_video_url', label: 'Video URL', type: 'string', fieldType: 'text', groupName: 'video_automation' });
    const contact = sb.crm.create('contacts', { firstname: 'Ann', lifecyclestage: 'lead' });
    sb.webhooks.setSubscriptions([{ subscriptionType: 'contact.propertyChange', propertyName: 'lifecyclestage' }]);
    sb.crm.update('contacts', contact.id, { lifecyclestage: 'lead', heygen_video_url: 'https://v/1' });
    await sb.webhooks.drain();
    expect(receiver.received).toHaveLength(0);

    sb.webhooks.setSubscriptions([{ subscriptionType: 'contact.propertyChange', propertyName: 'heygen_video_url' }]);
    sb.crm.update('contacts', contact.id, { heygen_video_url: 'https://v/2' });
    await sb.webhooks.drain();
    expect(receiver.received.flatMap(events).map((e) => e.propertyValue)).toEqual(['https://v/2']);
  });

  it('turns a bulk update of 5,000 contacts into arrays of at most 100, with bounded concurrency', async () => {
    const { sb, receiver } = await setup(undefined, { webhooks: { concurrency: 10 } }, 10);
    const contacts = sb.crm.createMany('contacts', Array.from({ length: 5000 }, (_, i) => ({ properties: { firstname: `C${i}`, lifecyclestage: 'lead' } })));
    sb.webhooks.setSubscriptions([{ subscriptionType: 'contact.propertyChange', propertyName: 'lifecyclestage' }]);
    sb.crm.updateMany('contacts', contacts.map((c) => ({ id: c.id, properties: { lifecyclestage: 'marketingqualifiedlead' } })));
    await sb.webhooks.drain();

    const sizes = receiver.received.map((r) => events(r).length);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(100);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(5000);
    const all = receiver.received.flatMap(events);
    expect(new Set(all.map((e) => e.objectId)).size).toBe(5000);
    expect(all.every((e) => e.changeSource === 'IMPORT' && e.propertyValue === 'marketingqualifiedlead')).toBe(true);
    expect(receiver.maxConcurrent()).toBeLessThanOrEqual(10);
    expect(receiver.maxConcurrent()).toBeGreaterThan(1);
  });

  it('duplicates and shuffles events, the same way for the same seed', async () => {
    const run = async () => {
      const { sb, receiver } = await setup(undefined, { seed: 9, webhooks: { duplicateRate: 0.2, shuffle: true } });
      const contacts = sb.crm.createMany('contacts', Array.from({ length: 300 }, (_, i) => ({ properties: { firstname: `C${i}` } })));
      sb.webhooks.setSubscriptions([{ subscriptionType: 'contact.propertyChange', propertyName: 'jobtitle' }]);
      sb.crm.updateMany('contacts', contacts.map((c) => ({ id: c.id, properties: { jobtitle: 'CTO' } })));
      await sb.webhooks.drain();
      const ids = receiver.received.flatMap(events).map((e) => e.eventId as number);
      const duplicated = [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))].sort();
      const batchOf = (id: number) => receiver.received.filter((r) => events(r).some((e) => e.eventId === id)).length;
      return { ids, duplicated, injected: sb.stats().webhooks.subscription.duplicatesInjected, spread: duplicated.filter((id) => batchOf(id) > 1).length };
    };
    const first = await run();
    expect(new Set(first.ids).size).toBe(300);
    expect(first.ids).toHaveLength(300 + first.injected);
    expect(first.duplicated.length).toBeGreaterThan(20);
    expect(first.spread).toBeGreaterThan(0);
    expect(first.ids).not.toEqual([...first.ids].sort((a, b) => a - b));
    const second = await run();
    expect(second.duplicated).toEqual(first.duplicated);
  });

  it('drain waits for retries, and close ends them', async () => {
    const { sb, receiver } = await setup(() => 503, { webhooks: { retryDelayMs: 60_000, retryMaxDelayMs: 60_000 } });
    sb.webhooks.setSubscriptions([{ subscriptionType: 'contact.creation' }]);
    sb.crm.create('contacts', { firstname: 'Ann' });
    let drained = false;
    const drain = sb.webhooks.drain().then(() => {
      drained = true;
    });
    while (receiver.received.length === 0) await new Promise((r) => setTimeout(r, 5));
    expect(drained).toBe(false);
    expect(sb.stats().webhooks.pending).toBeGreaterThan(0);
    await sb.close();
    await drain;
    expect(drained).toBe(true);
  });
});
