/**
 * Webhooks first (`worker.yieldToWebhooks`): while HubSpot's deliveries keep
 * arriving on a busy event loop, the workers wait between ticks so the
 * webhooks are answered first, and still get the video to the CRM. The
 * loop is kept busy by hand (8 ms of every 10 spent in a spin), as a bulk
 * import on a small machine would keep it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { testDialects } from '../helpers/databases.js';
import { startHarness, type Harness } from '../helpers/harness.js';

/**
 * About 80 % of the event loop taken, and an ignored delivery every 50 ms,
 * until the returned function is called (which waits for the deliveries in
 * flight and checks each was answered 2xx).
 */
function busyLoopWithWebhooks(h: Harness): () => Promise<void> {
  const spin = setInterval(() => {
    const end = performance.now() + 8;
    while (performance.now() < end);
  }, 10);
  const answers: Promise<number>[] = [];
  let eventId = 9_000;
  const send = setInterval(() => {
    eventId += 1;
    const event = { eventId, subscriptionId: 77, portalId: 62515, appId: 1160452, occurredAt: Date.now(), subscriptionType: 'contact.propertyChange', attemptNumber: 0, objectId: 1, propertyName: 'phone', propertyValue: String(eventId), changeSource: 'CRM_UI' };
    answers.push(h.postHubSpot([event]).then((r) => r.status));
  }, 50);
  let stopped: Promise<void> | undefined;
  return () =>
    (stopped ??= (async () => {
      clearInterval(spin);
      clearInterval(send);
      expect(new Set(await Promise.all(answers))).toEqual(new Set([200]));
    })());
}

async function waitedSeconds(h: Harness): Promise<number> {
  return (await h.service.metrics.workerYieldSeconds.get()).values[0]?.value ?? 0;
}

describe.each(await testDialects())('webhooks first on %s', (dialect) => {
  let h: Harness;
  let stopLoad = async () => {};
  afterEach(async () => {
    await stopLoad();
    await h?.stop();
  });

  async function videoWhileBusy(): Promise<void> {
    const id = h.sandbox.hubspot.crm.create('contacts', { firstname: 'Wren', company: 'Busy Co', lifecyclestage: 'lead' }).id;
    h.sandbox.hubspot.webhooks.setSubscriptions([{ subscriptionType: 'contact.propertyChange', propertyName: 'lifecyclestage' }]);
    stopLoad = busyLoopWithWebhooks(h);
    h.sandbox.hubspot.crm.update('contacts', id, { lifecyclestage: 'marketingqualifiedlead' });
    // The workers are slowed, not starved: the video arrives while the deliveries go on.
    await h.waitFor(async () => h.sandbox.hubspot.crm.get('contacts', id)?.properties.heygen_render_status === 'COMPLETED', 30_000, 'the video in the CRM');
    await stopLoad();
    expect(h.sandbox.heygen.ledger().filter((e) => e.billed)).toHaveLength(1);
  }

  it('holds the workers back while deliveries arrive on a busy loop, and the video still reaches the CRM', async () => {
    h = await startHarness({ dialect });
    await videoWhileBusy();
    expect(await waitedSeconds(h)).toBeGreaterThan(0);
  });

  it('with worker.yieldToWebhooks: 0 the workers never wait', async () => {
    h = await startHarness({ dialect, tweak: (c) => void (c.worker.yieldToWebhooks = 0) });
    await videoWhileBusy();
    expect(await waitedSeconds(h)).toBe(0);
  });
});
