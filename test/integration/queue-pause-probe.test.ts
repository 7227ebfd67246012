/**
 * While a queue is paused, one unit of work per probe interval is let
 * through. The probe is spent only by a stage that found work: a stage that
 * asks and finds nothing to do (enrich with no new triggers) must not use up
 * the probe that a waiting CRM write needs.
 */
import { describe, expect, it } from 'vitest';
import { QueuePauses } from '../../src/engine/pauses.js';
import { createLogger } from '../../src/observability/logger.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { testDialects } from '../helpers/databases.js';
import { useMigratedStore } from '../helpers/stores.js';
import { Writable } from 'node:stream';

const PROBE_EVERY = 30_000;
const quiet = createLogger({ level: 'silent', secrets: [], destination: new Writable({ write: (_c, _e, done) => done() }) });

describe.each(await testDialects())('queue pause probes on %s', (dialect) => {
  const s = useMigratedStore(dialect);

  it('asking for the allowance does not spend the probe; claiming work does', async () => {
    const pauses = new QueuePauses(s.store, quiet, createMetrics(), PROBE_EVERY);
    const t0 = 1_000_000;
    await pauses.pause('hubspot', 'unauthorized', 'HubSpot refused the token', t0);

    // Right after the pause, no probe yet.
    expect(await pauses.allowance('hubspot', t0 + 1_000, 100)).toBe(0);

    // An interval later a probe is due: a stage with nothing to do asks and claims nothing...
    const due = t0 + PROBE_EVERY;
    expect(await pauses.allowance('hubspot', due, 100)).toBe(1);
    // ...so the next stage, which has a CRM write waiting, still gets the probe.
    expect(await pauses.allowance('hubspot', due + 5, 500)).toBe(1);
    pauses.spendProbe('hubspot', due + 5);
    // Once spent, nobody else probes in this interval.
    expect(await pauses.allowance('hubspot', due + 10, 100)).toBe(0);
    expect(await pauses.allowance('hubspot', due + 5 + PROBE_EVERY, 100)).toBe(1);
  });

  it('a running queue hands out everything, and spending is a no-op', async () => {
    const pauses = new QueuePauses(s.store, quiet, createMetrics(), PROBE_EVERY);
    expect(await pauses.allowance('heygen', 5, 50)).toBe(50);
    pauses.spendProbe('heygen', 5);
    expect(await pauses.allowance('heygen', 6, 50)).toBe(50);
  });
});
