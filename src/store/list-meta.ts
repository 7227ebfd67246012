import type { Store } from './db.js';

/**
 * Meta rows whose key starts with `prefix` (e.g. every `pause:budget:` row),
 * by key. The meta table holds a handful of facts, so the prefix is matched
 * here rather than with LIKE, whose escaping differs between the dialects.
 */
export async function listMeta(store: Store, prefix: string): Promise<{ key: string; value: string }[]> {
  const rows = await store.db.selectFrom('meta').select(['key', 'value']).orderBy('key').execute();
  return rows.filter((r) => r.key.startsWith(prefix));
}
