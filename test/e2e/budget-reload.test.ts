/**
 * A daily credit budget on a real `reelay serve` process: at the cap,
 * renders wait (nothing more is billed, nothing FAILED); the operator
 * raises the cap in reelay.yaml and sends SIGHUP, and the rest are rendered.
 * A SIGHUP with a broken file is refused in one line naming it, and the
 * running configuration stays.
 */
import { writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { logRecords } from '../helpers/cli.js';
import { TEST_CONFIG } from '../helpers/harness.js';
import { startServeFixture, until, type ServeFixture } from './serve-fixture.js';

const CONTACTS = 5;

describe('credit budget and SIGHUP reload', () => {
  let f: ServeFixture | undefined;
  afterEach(async () => f?.close());

  it('waits at the cap, refuses a broken reload, and resumes when a reload raises the cap', { timeout: 180_000 }, async () => {
    f = await startServeFixture();
    const { sandbox, secrets, serviceUrl } = f;
    const configPath = f.env.REELAY_CONFIG ?? '';
    writeFileSync(configPath, `${TEST_CONFIG}budgets:\n  daily: 2\n`);
    const child = await f.serve();

    const crm = sandbox.hubspot.crm;
    const ids = crm.createMany('contacts', Array.from({ length: CONTACTS }, (_, i) => ({ properties: { firstname: `Cap${i}`, company: 'Budget Ltd', lifecyclestage: 'lead' } }))).map((r) => r.id);
    sandbox.hubspot.webhooks.setSubscriptions([{ subscriptionType: 'contact.propertyChange', propertyName: 'lifecyclestage' }]);
    crm.updateMany('contacts', ids.map((id) => ({ id, properties: { lifecyclestage: 'marketingqualifiedlead' } })));

    const api = async (path: string, init: RequestInit = {}) => {
      const response = await fetch(`${serviceUrl}${path}`, { ...init, headers: { authorization: `Bearer ${secrets.adminToken}` } });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    const counts = async () => (await api('/api/renders')).body.counts as Record<string, number>;
    const completed = () => ids.filter((id) => crm.get('contacts', id)?.properties.heygen_render_status === 'COMPLETED').length;
    const billed = () => sandbox.heygen.ledger().filter((e) => e.billed).length;

    await until(async () => completed() === 2 && (await counts()).enriched === 3, 60_000, 'two renders done and three waiting at the cap', 50);
    await child.waitForOutput(/budget:global queue paused/, 10_000);
    expect((await api('/api/budgets')).body.budgets).toContainEqual(expect.objectContaining({ scope: 'global', cap: 2, used: 2, exhausted: true }));
    const metrics = await (await fetch(`${serviceUrl}/metrics`)).text();
    expect(metrics).toMatch(/reelay_budget_exhausted\{scope="global"\} 1/);
    expect(billed()).toBe(2);

    // A broken file: refused in one line that names it; the cap of 2 still holds.
    writeFileSync(configPath, `${TEST_CONFIG}budgets:\n  daily: 10\n  campaigns:\n    no-such-campaign: { daily: 1 }\n`);
    child.kill('SIGHUP');
    const refused = await child.waitForOutput(/configuration reload refused/, 10_000);
    expect((JSON.parse(refused) as { msg: string }).msg).toBe(
      `configuration reload refused (the running configuration stays): invalid configuration in ${configPath}: budgets.campaigns.no-such-campaign: no campaign has the id no-such-campaign`,
    );
    expect(billed()).toBe(2);
    expect(await counts()).toEqual({ completed: 2, enriched: 3 });

    // The cap raised: SIGHUP, and the waiting renders go through.
    writeFileSync(configPath, `${TEST_CONFIG}budgets:\n  daily: 10\n`);
    child.kill('SIGHUP');
    await child.waitForOutput(/configuration reloaded from .*budgets\.daily: 2 → 10/, 10_000);
    await until(() => completed() === CONTACTS, 60_000, 'every contact COMPLETED after the reload', 50);
    expect(billed()).toBe(CONTACTS);
    await until(async () => JSON.stringify(await counts()) === JSON.stringify({ completed: CONTACTS }), 30_000, 'every render completed in the store');
    expect((await api('/api/budgets')).body.budgets).toContainEqual(expect.objectContaining({ scope: 'global', cap: 10, used: CONTACTS, exhausted: false }));

    // The admin API reloads the same way; the same file changes nothing.
    const reload = await api('/api/config/reload', { method: 'POST' });
    expect(reload).toEqual({ status: 200, body: { ok: true, changes: [], restartNeeded: [] } });

    const alerts = logRecords(child.stdout()).filter((r) => String(r.msg).includes('queue paused'));
    expect(alerts).toHaveLength(1);
    expect(logRecords(child.stdout()).filter((r) => r.level === 50 && !String(r.msg).includes('queue paused') && !String(r.msg).includes('reload refused'))).toEqual([]);
  });
});
