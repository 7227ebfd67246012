/**
 * Migration 006 (typed effects) on a database that has CRM writes queued:
 * they survive as `properties` effects, still coalesce, and the outbox now
 * takes a note for the same record beside them. SQLite and PostgreSQL.
 */
import { sql, type Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { crmWrite } from '../../src/core/crm-write.js';
import { openStore, type Store } from '../../src/store/db.js';
import { enqueueCrmWrite } from '../../src/store/enqueue-crm-write.js';
import { enqueueEffects } from '../../src/store/enqueue-effect.js';
import { migrate } from '../../src/store/migrate.js';
import { createMigrator } from '../../src/store/migrations/index.js';
import { createTestDatabase, testDialects, type TestDatabase } from '../helpers/databases.js';

describe.each(await testDialects())('outbox migration on %s', (dialect) => {
  let database: TestDatabase | undefined;
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
    await database?.drop();
  });

  it('keeps queued writes as properties effects and lets other kinds sit beside them', async () => {
    database = await createTestDatabase(dialect);
    store = openStore(database.url);
    const result = await createMigrator(store.db as unknown as Kysely<unknown>, store.dialect).migrateTo('005-render-plan');
    expect(result.error).toBeUndefined();
    await sql`insert into outbox (portal_id, object_type, object_id, render_id, properties, status_rank, version, attempts, run_at, created_at, updated_at)
      values ('1', 'contacts', '10', 5, '{"s":"PENDING"}', 1, 1, 0, 100, 100, 100)`.execute(store.db);

    await migrate(store);
    const [row] = await store.db.selectFrom('outbox').selectAll().execute();
    expect(row).toMatchObject({ kind: 'properties', effect_key: '', claims: 0, render_id: 5, properties: '{"s":"PENDING"}' });

    const target = { portalId: '1', objectType: 'contacts', objectId: '10' };
    await enqueueCrmWrite(store, target, crmWrite(5, { s: 'COMPLETED' }, 'COMPLETED'), 200, 200);
    await enqueueEffects(store, [{ target, kind: 'note', key: '5', renderId: 5, payload: '{}', merge: () => null, notBefore: 200 }], 200);
    const rows = await store.db.selectFrom('outbox').select(['kind', 'properties']).orderBy('id').execute();
    expect(rows).toEqual([
      { kind: 'properties', properties: '{"s":"COMPLETED"}' },
      { kind: 'note', properties: '{}' },
    ]);
    // New rows get ids past the copied ones.
    const ids = await store.db.selectFrom('outbox').select('id').execute();
    expect(new Set(ids.map((r) => r.id)).size).toBe(2);
  });
});
