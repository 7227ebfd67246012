import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

const key = (renderId: number) => `link-renewal:${renderId}`;

/**
 * Takes the lease on renewing a render's cached video URL, so that of the
 * instances sharing the database only one asks HeyGen. True when this caller
 * holds it: nobody did, or the holder's lease (`leaseMs`) ran out.
 */
export async function claimLinkRenewal(db: Kysely<Database>, renderId: number, now: number, leaseMs: number): Promise<boolean> {
  const result = await db
    .insertInto('meta')
    .values({ key: key(renderId), value: 'renewing', updated_at: now })
    .onConflict((oc) => oc.column('key').doUpdateSet({ updated_at: now }).where('meta.updated_at', '<=', now - leaseMs))
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
}

export async function releaseLinkRenewal(db: Kysely<Database>, renderId: number): Promise<void> {
  await db.deleteFrom('meta').where('key', '=', key(renderId)).execute();
}
