/**
 * What `/readyz` reports about the database, through the application layer:
 * not migrated until `migrate` ran, ready after, unreachable when the server
 * does not answer.
 */
import { describe, expect, it } from 'vitest';
import { migrateDatabase, openDatabase } from '../../src/app/database.js';
import { databaseReadiness } from '../../src/app/readiness.js';
import { createTestDatabase, testDialects } from '../helpers/databases.js';

describe.each(await testDialects())('database readiness on %s', (dialect) => {
  it('is not_migrated on a fresh database and ready once migrated', async () => {
    const database = await createTestDatabase(dialect);
    const store = openDatabase(database.url);
    try {
      expect(await databaseReadiness(store)).toBe('not_migrated');
      await migrateDatabase(store);
      expect(await databaseReadiness(store)).toBe('ready');
    } finally {
      await store.close();
      await database.drop();
    }
  });
});

describe('database readiness without a database server', () => {
  it('is database_unreachable', async () => {
    // Nothing listens on port 1: the connection is refused at once.
    const store = openDatabase('postgres://postgres@127.0.0.1:1/reelay', { poolSize: 1 });
    try {
      expect(await databaseReadiness(store)).toBe('database_unreachable');
    } finally {
      await store.close();
    }
  });
});
