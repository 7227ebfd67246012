/**
 * PostgreSQL going away: readiness turns red and intake answers 503 (so
 * HubSpot retries) instead of acknowledging an event it could not store;
 * when the database is back, the service recovers on its own.
 */
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { PG_ADMIN_URL, testDialects } from '../helpers/databases.js';
import { startHarness, type Harness } from '../helpers/harness.js';

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

describe.each((await testDialects()).filter((d) => d === 'postgres'))('database outage on %s', (dialect) => {
  let h: Harness;
  let dbName = '';
  afterEach(async () => {
    if (dbName) await admin(`alter database ${dbName} allow_connections true`);
    await h?.stop();
  });

  it('answers 503 while the database is unreachable and recovers when it is back', async () => {
    h = await startHarness({ dialect });
    dbName = new URL(h.database.url).pathname.slice(1);
    const id = h.sandbox.hubspot.crm.create('contacts', { firstname: 'Edsger', company: 'Goto Ltd' }).id;

    await admin(`alter database ${dbName} allow_connections false`);
    await admin(`select pg_terminate_backend(pid) from pg_stat_activity where datname = '${dbName}'`);

    const ready = await fetch(`${h.env.publicUrl}/readyz`);
    expect(ready.status).toBe(503);
    const refused = await h.postHubSpot({ hs_object_id: Number(id) }, { query: '?campaign=bdr-intro' });
    expect(refused.status).toBe(503);

    await admin(`alter database ${dbName} allow_connections true`);
    dbName = '';
    await h.waitFor(async () => (await fetch(`${h.env.publicUrl}/readyz`)).status === 200, 20_000, 'readiness to recover');
    // HubSpot retries the refused delivery: this time it is stored and rendered.
    const accepted = await h.postHubSpot({ hs_object_id: Number(id) }, { query: '?campaign=bdr-intro' });
    expect(accepted.status).toBe(200);
    await h.waitFor(async () => h.sandbox.hubspot.crm.get('contacts', id)?.properties.heygen_render_status === 'COMPLETED', 20_000, 'the video');
    expect(h.sandbox.heygen.ledger()).toHaveLength(1);
  });
});
