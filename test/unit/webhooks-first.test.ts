/**
 * Webhooks first: worker loops wait only while webhooks are arriving and
 * the event loop is busy; a wake does not cut the wait short, a stop does.
 */
import { describe, expect, it } from 'vitest';
import { Loop } from '../../src/engine/loop.js';
import { BUSY_SHARE, RECENT_WEBHOOK_MS, WebhooksFirst } from '../../src/engine/webhooks-first.js';
import { createLogger } from '../../src/observability/logger.js';

function setup(opts: { pauseMs?: number; busy?: number } = {}) {
  const state = { now: 1_000, busy: opts.busy ?? 0.9, pauseMs: opts.pauseMs ?? 250, waited: 0 };
  const first = new WebhooksFirst({
    pauseMs: () => state.pauseMs,
    loopBusyShare: () => state.busy,
    now: () => state.now,
    waited: { inc: (seconds: number) => void (state.waited += seconds) },
  });
  return { state, first };
}

describe('WebhooksFirst', () => {
  it('lets workers go on at once when no webhook has arrived, however busy the loop', () => {
    const { first, state } = setup({ busy: 1 });
    expect(first.waitBeforeTick()).toBe(0);
    expect(state.waited).toBe(0);
  });

  it('holds a tick back for the configured pause while webhooks arrive on a busy loop, and counts the wait', () => {
    const { first, state } = setup({ busy: BUSY_SHARE + 0.01 });
    first.webhookArrived();
    state.now += RECENT_WEBHOOK_MS;
    expect(first.waitBeforeTick()).toBe(250);
    expect(state.waited).toBe(0.25);
  });

  it('does not hold workers back when the loop has room, or once webhooks stop arriving', () => {
    const { first, state } = setup({ busy: BUSY_SHARE });
    first.webhookArrived();
    expect(first.waitBeforeTick()).toBe(0);
    state.busy = 1;
    state.now += RECENT_WEBHOOK_MS + 1;
    expect(first.waitBeforeTick()).toBe(0);
    expect(state.waited).toBe(0);
  });

  it('is off with a pause of 0, and reads the pause on each use (a config reload applies)', () => {
    const { first, state } = setup({ pauseMs: 0 });
    first.webhookArrived();
    expect(first.waitBeforeTick()).toBe(0);
    state.pauseMs = 100;
    expect(first.waitBeforeTick()).toBe(100);
  });
});

describe('Loop with a wait before each tick', () => {
  const log = createLogger({ level: 'silent', secrets: [] });

  it('does not tick before the wait ends, even when woken, and stops without waiting it out', async () => {
    let ticks = 0;
    const loop = new Loop('test', async () => ((ticks += 1), 'busy'), 10, log, () => 60_000);
    loop.start();
    loop.wake();
    await new Promise((resolve) => setImmediate(resolve));
    expect(ticks).toBe(0);
    await loop.stop();
    expect(ticks).toBe(0);
  });

  it('ticks at once when there is nothing to wait for', async () => {
    let ticks = 0;
    const loop = new Loop('test', async () => ((ticks += 1), 'idle'), 60_000, log, () => 0);
    loop.start();
    await new Promise((resolve) => setImmediate(resolve));
    await loop.stop();
    expect(ticks).toBe(1);
  });
});
