import type { Store } from './db.js';

export async function getMeta(store: Store, key: string): Promise<string | undefined> {
  const { db } = store;
  const row = await db.selectFrom('meta').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value;
}

export async function setMeta(store: Store, key: string, value: string, now: number): Promise<void> {
  const { db } = store;
  await db
    .insertInto('meta')
    .values({ key, value, updated_at: now })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: now }))
    .execute();
}

export async function deleteMeta(store: Store, key: string): Promise<void> {
  const { db } = store;
  await db.deleteFrom('meta').where('key', '=', key).execute();
}

