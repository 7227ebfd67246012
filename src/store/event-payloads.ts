import type { Store } from './db.js';

/** The raw payloads of the stored inbound events of one kind (e.g. `subscription`). */
export async function eventPayloads(store: Store, kind: string): Promise<string[]> {
  const rows = await store.db.selectFrom('events').select('payload').where('kind', '=', kind).execute();
  return rows.map((r) => r.payload);
}
