/**
 * For store-level suites: a fresh, migrated database per test, and the
 * inbound event that starts one render, as intake stores it.
 */
import { afterEach, beforeEach } from 'vitest';
import { openStore, type Store } from '../../src/store/db.js';
import type { IngestItem } from '../../src/store/ingest-events.js';
import { migrate } from '../../src/store/migrate.js';
import { createTestDatabase, type TestDatabase } from './databases.js';

/** Registers before/after hooks; read `.store` and `.database` inside tests. */
export function useMigratedStore(dialect: 'sqlite' | 'postgres'): { readonly store: Store; readonly database: TestDatabase } {
  let database: TestDatabase | undefined;
  let store: Store | undefined;
  beforeEach(async () => {
    database = await createTestDatabase(dialect);
    store = openStore(database.url);
    await migrate(store);
  });
  afterEach(async () => {
    await store?.close();
    await database?.drop();
  });
  return {
    get store() {
      if (!store) throw new Error('useMigratedStore: read .store inside a test');
      return store;
    },
    get database() {
      if (!database) throw new Error('useMigratedStore: read .database inside a test');
      return database;
    },
  };
}

/** A subscription event for a contact that starts one render of `campaign`. */
export function triggerItem(key: string, objectId: string, campaign = 'c'): IngestItem {
  return {
    event: { source: 'hubspot', dedupe_key: key, portal_id: '1', kind: 'subscription', object_type: 'contacts', object_id: objectId, campaign_id: campaign, status: 'accepted', reason: null, payload: '{}' },
    renders: [
      { portal_id: '1', campaign_id: campaign, object_type: 'contacts', object_id: objectId, trigger_object_type: null, trigger_object_id: null, render_key: null, submission: 1, api: 'v3', template_id: 'tpl' },
    ],
  };
}
