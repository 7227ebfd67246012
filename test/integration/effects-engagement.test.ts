/**
 * Typed effects, `engagement`: counters enqueued several times for one
 * record coalesce in the outbox into one CRM write with merged values
 * (plays and clicks summed, highest watch percent, last play), added to the
 * totals the record already holds; on SQLite and PostgreSQL.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { engagementKind, type Engagement } from '../../src/engine/effects/engagement.js';
import { effectOf } from '../../src/engine/effects/kind.js';
import { queueEffects } from '../../src/engine/effects/queue.js';
import { testDialects } from '../helpers/databases.js';
import { startHarness, type Harness } from '../helpers/harness.js';

describe.each(await testDialects())('engagement on %s', (dialect) => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('engagement enqueued three times is one CRM write with merged values, added to what the record holds', async () => {
    h = await startHarness({ dialect });
    const harness = h;
    const contact = harness.sandbox.hubspot.crm.create('contacts', { firstname: 'Ada' }).id;
    const target = { portalId: harness.config.hubspot.portalId || '1', objectType: 'contacts', objectId: contact };
    const ctx = harness.service.ctx;
    // Due a little later, so the three wait together as they would between flushes.
    const notBefore = ctx.clock.now() + 1_500;
    const engagement = (e: Engagement) => effectOf(engagementKind, { target, renderId: 1, payload: e, notBefore });
    const t0 = Date.UTC(2026, 11, 1, 9);
    const before = harness.sandbox.hubspot.stats().writes.byObject[`contacts/${contact}`] ?? 0;

    await queueEffects(ctx, [engagement({ plays: 1, maxWatchPercent: 40, lastPlayed: t0, ctaClicks: 0 })]);
    await queueEffects(ctx, [engagement({ plays: 1, maxWatchPercent: 90, lastPlayed: t0 + 60_000, ctaClicks: 1 })]);
    await queueEffects(ctx, [engagement({ plays: 1, maxWatchPercent: 10, lastPlayed: t0 + 30_000, ctaClicks: 0 })]);
    expect(await harness.service.store.db.selectFrom('outbox').selectAll().where('kind', '=', 'engagement').execute()).toHaveLength(1);

    await harness.settled();
    const props = harness.sandbox.hubspot.crm.get('contacts', contact)?.properties;
    expect(props).toMatchObject({
      heygen_video_plays: '3',
      heygen_video_watch_percent: '90',
      heygen_video_last_played: new Date(t0 + 60_000).toISOString(),
      heygen_video_cta_clicks: '1',
    });
    expect(harness.sandbox.hubspot.stats().writes.byObject[`contacts/${contact}`]).toBe(before + 1);

    // Later engagement adds to the record's totals.
    await queueEffects(ctx, [effectOf(engagementKind, { target, renderId: 1, payload: { plays: 2, maxWatchPercent: 50, lastPlayed: t0 + 120_000, ctaClicks: 2 }, notBefore: ctx.clock.now() })]);
    await harness.waitFor(async () => harness.sandbox.hubspot.crm.get('contacts', contact)?.properties.heygen_video_plays === '5', 20_000, 'plays to reach 5');
    await harness.settled();
    expect(harness.sandbox.hubspot.crm.get('contacts', contact)?.properties).toMatchObject({
      heygen_video_plays: '5',
      heygen_video_watch_percent: '90',
      heygen_video_last_played: new Date(t0 + 120_000).toISOString(),
      heygen_video_cta_clicks: '3',
    });
  });
});
