/**
 * The scheduler's bookkeeping, in `meta`:
 * - `schedule:<campaign>`: the instant (ISO 8601, UTC) up to which the
 *   campaign's schedule has run. It only ever moves forward, so a slower
 *   instance writing an older mark changes nothing.
 * - `schedule-lease:<campaign>`: which instance runs the schedule now, so
 *   several instances on one PostgreSQL database do not all run each search.
 *   The holder renews it as it goes; it lapses `leaseMs` after the last renewal.
 */
import type { Store } from './db.js';
import { getMeta } from './meta.js';

const markKey = (campaignId: string): string => `schedule:${campaignId}`;
const leaseKey = (campaignId: string): string => `schedule-lease:${campaignId}`;

/** Undefined when the campaign's schedule has never run. */
export async function readScheduleMark(store: Store, campaignId: string): Promise<number | undefined> {
  const raw = await getMeta(store, markKey(campaignId));
  if (raw === undefined) return undefined;
  const at = Date.parse(raw);
  return Number.isFinite(at) ? at : undefined;
}

/** Moves the mark forward to `at`; a mark already past it stays. */
export async function advanceScheduleMark(store: Store, campaignId: string, at: number, now: number): Promise<void> {
  const { db } = store;
  // Fixed-width ISO strings order as their instants do.
  const value = new Date(at).toISOString();
  await db
    .insertInto('meta')
    .values({ key: markKey(campaignId), value, updated_at: now })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: now }).where('meta.value', '<', value))
    .execute();
}

/** Takes or renews the lease; false when another holder's lease is still live. */
export async function takeScheduleLease(
  store: Store,
  campaignId: string,
  holder: string,
  now: number,
  leaseMs: number,
): Promise<boolean> {
  const { db } = store;
  const row = await db
    .insertInto('meta')
    .values({ key: leaseKey(campaignId), value: holder, updated_at: now })
    .onConflict((oc) =>
      oc
        .column('key')
        .doUpdateSet({ value: holder, updated_at: now })
        .where((eb) => eb.or([eb('meta.value', '=', holder), eb('meta.updated_at', '<', now - leaseMs)])),
    )
    .returning('value')
    .executeTakeFirst();
  return row?.value === holder;
}

export async function releaseScheduleLease(store: Store, campaignId: string, holder: string): Promise<void> {
  const { db } = store;
  await db.deleteFrom('meta').where('key', '=', leaseKey(campaignId)).where('value', '=', holder).execute();
}
