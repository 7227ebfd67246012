import type { Store } from './db.js';

/**
 * SQLite start-up: one process owns the file, so every lease in it belongs
 * to a process that is gone. Release them at once instead of waiting for
 * them to expire (SPEC "Leases").
 */
export async function reclaimAllLeases(store: Store): Promise<{ renders: number; writes: number }> {
  const { db } = store;
  const renders = await db.updateTable('renders').set({ leased_by: null, lease_until: null }).where('leased_by', 'is not', null).executeTakeFirst();
  const writes = await db.updateTable('outbox').set({ leased_by: null, lease_until: null }).where('leased_by', 'is not', null).executeTakeFirst();
  return { renders: Number(renders.numUpdatedRows), writes: Number(writes.numUpdatedRows) };
}

/** Graceful shutdown: give back what this worker holds so the next owner starts at once. */
export async function releaseLeasesOf(store: Store, workerId: string): Promise<void> {
  const { db } = store;
  await db.updateTable('renders').set({ leased_by: null, lease_until: null }).where('leased_by', '=', workerId).execute();
  await db.updateTable('outbox').set({ leased_by: null, lease_until: null }).where('leased_by', '=', workerId).execute();
}
