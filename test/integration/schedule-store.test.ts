/**
 * The scheduler's bookkeeping on the real engines: the run mark only moves
 * forward, and one instance at a time holds a campaign's schedule lease.
 */
import { describe, expect, it } from 'vitest';
import { advanceScheduleMark, readScheduleMark, releaseScheduleLease, takeScheduleLease } from '../../src/store/schedule-runs.js';
import { testDialects } from '../helpers/databases.js';
import { useMigratedStore } from '../helpers/stores.js';

const NOW = Date.UTC(2026, 2, 2, 10);
const LEASE_MS = 60_000;

describe.each(await testDialects())('schedule bookkeeping on %s', (dialect) => {
  const fresh = useMigratedStore(dialect);

  it('has no mark before the first run, and a mark that never moves back', async () => {
    const { store } = fresh;
    expect(await readScheduleMark(store, 'renewal')).toBeUndefined();
    await advanceScheduleMark(store, 'renewal', NOW, NOW);
    await advanceScheduleMark(store, 'renewal', NOW - 3_600_000, NOW);
    expect(await readScheduleMark(store, 'renewal')).toBe(NOW);
    await advanceScheduleMark(store, 'renewal', NOW + 86_400_000, NOW);
    expect(await readScheduleMark(store, 'renewal')).toBe(NOW + 86_400_000);
    expect(await readScheduleMark(store, 'other')).toBeUndefined();
  });

  it('lets one instance hold a schedule until it releases it or stops renewing', async () => {
    const { store } = fresh;
    expect(await takeScheduleLease(store, 'renewal', 'worker-a', NOW, LEASE_MS)).toBe(true);
    expect(await takeScheduleLease(store, 'renewal', 'worker-b', NOW + 1_000, LEASE_MS)).toBe(false);
    expect(await takeScheduleLease(store, 'other', 'worker-b', NOW + 1_000, LEASE_MS)).toBe(true);
    // The holder renews; the lease then lasts from the renewal.
    expect(await takeScheduleLease(store, 'renewal', 'worker-a', NOW + 50_000, LEASE_MS)).toBe(true);
    expect(await takeScheduleLease(store, 'renewal', 'worker-b', NOW + 100_000, LEASE_MS)).toBe(false);
    // A holder that stopped renewing (crashed) loses it after the lease time.
    expect(await takeScheduleLease(store, 'renewal', 'worker-b', NOW + 50_000 + LEASE_MS + 1, LEASE_MS)).toBe(true);
    // Releasing someone else's lease does nothing; releasing one's own frees it.
    await releaseScheduleLease(store, 'renewal', 'worker-a');
    expect(await takeScheduleLease(store, 'renewal', 'worker-a', NOW + 120_000, LEASE_MS)).toBe(false);
    await releaseScheduleLease(store, 'renewal', 'worker-b');
    expect(await takeScheduleLease(store, 'renewal', 'worker-a', NOW + 120_000, LEASE_MS)).toBe(true);
  });
});
