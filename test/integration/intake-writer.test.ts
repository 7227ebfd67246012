/**
 * Webhook intake's writer: a request is answered (and so gets its 2xx) only
 * once its events are on disk. The flush is held here by hand, as a slow
 * disk would hold it.
 */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { IntakeWriter } from '../../src/engine/intake.js';
import type { Store } from '../../src/store/db.js';
import type { IngestItem } from '../../src/store/ingest-events.js';
import { testDialects } from '../helpers/databases.js';
import { useMigratedStore } from '../helpers/stores.js';

function delivery(key: string, contactId: string): IngestItem[] {
  return [
    {
      event: { source: 'hubspot', dedupe_key: key, portal_id: '1', kind: 'subscription', object_type: 'contacts', object_id: contactId, campaign_id: 'bdr-intro', status: 'accepted', reason: null, payload: '{}' },
      renders: [
        { portal_id: '1', campaign_id: 'bdr-intro', object_type: 'contacts', object_id: contactId, trigger_object_type: null, trigger_object_id: null, render_key: null, submission: 1, api: 'v2', template_id: 'tpl' },
      ],
    },
  ];
}

/** The store with its disk flushes held until the test lets each one finish. */
function heldFlushes(store: Store): { store: Store; asked: () => number; finishNext: () => void } {
  const waiting: (() => void)[] = [];
  let asked = 0;
  return {
    store: {
      ...store,
      flushCommits: () => {
        asked += 1;
        return new Promise<void>((resolve) => waiting.push(() => void store.flushCommits().then(resolve)));
      },
    },
    asked: () => asked,
    finishNext: () => waiting.shift()?.(),
  };
}

async function storedEvents(store: Store): Promise<number> {
  const row = await store.db.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Lets the writer run until `done()` holds, or `ms` have passed (PostgreSQL answers over the network). */
async function until(done: () => boolean, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 1));
}

describe.each(await testDialects())('IntakeWriter on %s', (dialect) => {
  const fresh = useMigratedStore(dialect);

  it('answers a request only after its flush, and a redelivery is answered as a duplicate after its own', async () => {
    const held = heldFlushes(fresh.store);
    const writer = new IntakeWriter(held.store, new ManualClock(1_700_000_000_000));
    let answered = false;

    const first = writer.write(delivery('e1', '101')).then((outcomes) => {
      answered = true;
      return outcomes;
    });
    await until(() => answered || held.asked() === 1);
    // Committed, not yet on disk: not answered, however long the disk takes.
    expect(answered).toBe(false);
    expect(held.asked()).toBe(1);
    expect(await storedEvents(fresh.store)).toBe(1);
    await until(() => answered, 100);
    expect(answered).toBe(false);
    held.finishNext();
    expect((await first)[0]?.duplicate).toBe(false);

    const again = writer.write(delivery('e1', '101'));
    await until(() => held.asked() === 2);
    held.finishNext();
    expect((await again)[0]?.duplicate).toBe(true);
    expect(await storedEvents(fresh.store)).toBe(1);
  });
});
