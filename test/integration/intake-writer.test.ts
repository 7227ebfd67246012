/**
 * Webhook intake's writer: a request is answered (and so gets its 2xx) only
 * once its events are on disk. The flush is held here by hand, as a slow
 * disk would hold it.
 */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { IntakeWriter } from '../../src/engine/intake.js';
import type { Store } from '../../src/store/db.js';
import type { IngestOutcome } from '../../src/store/ingest-events.js';
import { testDialects } from '../helpers/databases.js';
import { triggerItem, useMigratedStore } from '../helpers/stores.js';

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

  /** One webhook's write: whether it has been answered yet, and its answer. */
  function written(writer: IntakeWriter, key: string): { answered: boolean; outcomes: Promise<IngestOutcome[]> } {
    const state = { answered: false };
    const outcomes = writer.write([triggerItem(key, '101')]).then((answer) => {
      state.answered = true;
      return answer;
    });
    return Object.assign(state, { outcomes });
  }

  it('answers a request only after its flush, and a redelivery is answered as a duplicate after its own', async () => {
    const held = heldFlushes(fresh.store);
    const writer = new IntakeWriter(held.store, new ManualClock(1_700_000_000_000));

    const first = written(writer, 'e1');
    await until(() => first.answered || held.asked() === 1);
    // Committed, not yet on disk: not answered, however long the disk takes.
    expect(first.answered).toBe(false);
    expect(held.asked()).toBe(1);
    expect(await storedEvents(fresh.store)).toBe(1);
    await until(() => first.answered, 100);
    expect(first.answered).toBe(false);
    held.finishNext();
    expect((await first.outcomes)[0]?.duplicate).toBe(false);

    // A duplicate's original may itself be mid-flush: its 2xx waits for a flush too.
    const again = written(writer, 'e1');
    await until(() => again.answered || held.asked() === 2);
    expect(again.answered).toBe(false);
    expect(held.asked()).toBe(2);
    held.finishNext();
    expect((await again.outcomes)[0]?.duplicate).toBe(true);
    expect(await storedEvents(fresh.store)).toBe(1);
  });
});
