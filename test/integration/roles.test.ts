/**
 * `serve --role web` (intake, admin, links; no workers) and `--role worker`
 * (workers; only /healthz and /metrics over HTTP) split one deployment.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/observability/logger.js';
import { startService, type Service } from '../../src/service.js';
import { testDialects } from '../helpers/databases.js';
import { startHarness, type Harness } from '../helpers/harness.js';

describe.each((await testDialects()).filter((d) => d === 'postgres'))('roles on %s', (dialect) => {
  let h: Harness;
  let worker: Service | undefined;
  afterEach(async () => {
    await worker?.stop();
    await h?.stop();
  });

  it('web stores triggers without rendering; a worker process renders them', async () => {
    h = await startHarness({ dialect, role: 'web' });
    const crm = h.sandbox.hubspot.crm;
    const id = crm.create('contacts', { firstname: 'Roland', company: 'Split Inc' }).id;
    expect((await h.postHubSpot({ hs_object_id: Number(id) }, { query: '?campaign=bdr-intro' })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 500));
    const waiting = await h.service.store.db.selectFrom('renders').select('state').execute();
    expect(waiting).toEqual([{ state: 'received' }]);

    worker = await startService({ env: { ...h.env, port: 0 }, config: h.config, role: 'worker', logger: silentLogger() });
    expect((await fetch(`${worker.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${worker.url}/webhooks/hubspot`, { method: 'POST', body: '[]' })).status).toBe(404);
    await h.waitFor(async () => crm.get('contacts', id)?.properties.heygen_render_status === 'COMPLETED', 20_000, 'the worker to render');
    expect(h.sandbox.heygen.ledger()).toHaveLength(1);
  });
});
