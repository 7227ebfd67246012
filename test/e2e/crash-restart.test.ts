/**
 * `reelay serve` as a real process: killed with SIGKILL in the middle of a
 * batch and started again on the same SQLite file, it finishes every render
 * and pays for none twice (write-ahead before paying, idempotent replays,
 * lease takeover, polling for callbacks lost while it was down). SIGTERM
 * stops it gracefully.
 *
 * The sandbox runs in the test process, so the test reads the CRM and
 * HeyGen's ledger directly; the service runs as `node bin/reelay.mjs serve`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { logRecords } from '../helpers/cli.js';
import { startServeFixture, until, type ServeFixture } from './serve-fixture.js';

const CONTACTS = 40;

describe('reelay serve as a process', () => {
  let f: ServeFixture | undefined;
  afterEach(async () => f?.close());

  function expectNoSecrets(output: string): void {
    for (const value of f?.secretValues() ?? []) expect(output).not.toContain(value);
  }

  it('killed with SIGKILL mid-batch and restarted, it completes every contact and bills each once', { timeout: 240_000 }, async () => {
    f = await startServeFixture();
    const { sandbox, secrets, serviceUrl } = f;
    const crm = sandbox.hubspot.crm;
    const first = await f.serve();

    const ids = crm
      .createMany(
        'contacts',
        Array.from({ length: CONTACTS }, (_, i) => ({ properties: { firstname: `Crash${i}`, company: 'Kill Nine Ltd', lifecyclestage: 'lead' } })),
      )
      .map((r) => r.id);
    sandbox.hubspot.webhooks.setSubscriptions([{ subscriptionType: 'contact.propertyChange', propertyName: 'lifecyclestage' }]);
    crm.updateMany('contacts', ids.map((id) => ({ id, properties: { lifecyclestage: 'marketingqualifiedlead' } })));

    const completed = () => ids.filter((id) => crm.get('contacts', id)?.properties.heygen_render_status === 'COMPLETED').length;
    await until(() => completed() >= 3, 120_000, 'the first renders to be COMPLETED in the CRM', 5);
    first.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    const completedAtKill = completed();
    const paidAtKill = sandbox.heygen.ledger().length;
    // Killed mid-batch: some renders done, others paid for at HeyGen but not yet written back.
    expect(completedAtKill).toBeLessThan(CONTACTS);
    expect(paidAtKill).toBeGreaterThan(completedAtKill);

    const second = await f.serve();
    await until(() => completed() === CONTACTS, 180_000, 'every contact to be COMPLETED in the CRM', 100);
    // Nothing left in flight that could still pay for something.
    await until(
      async () => {
        const response = await fetch(`${serviceUrl}/api/renders`, { headers: { authorization: `Bearer ${secrets.adminToken}` } });
        const { counts } = (await response.json()) as { counts: Record<string, number> };
        return JSON.stringify(counts) === JSON.stringify({ completed: CONTACTS });
      },
      60_000,
      'every render to be completed in the store',
      200,
    );
    second.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
    await sandbox.heygen.drain();

    const billed = sandbox.heygen.ledger().filter((e) => e.billed);
    const perContact = new Map<string, number>();
    for (const entry of billed) perContact.set(entry.variables.first_name as string, (perContact.get(entry.variables.first_name as string) ?? 0) + 1);
    expect(billed).toHaveLength(CONTACTS);
    expect(perContact.size).toBe(CONTACTS);
    expect([...perContact.values()].every((n) => n === 1)).toBe(true);
    expect(new Set(ids.map((id) => crm.get('contacts', id)?.properties.heygen_job_id))).toEqual(new Set(billed.map((e) => e.video_id)));
    expectNoSecrets(first.stdout() + first.stderr() + second.stdout() + second.stderr());
  });

  it('SIGTERM stops it gracefully: exit code 0 and "reelay stopped" logged', { timeout: 120_000 }, async () => {
    f = await startServeFixture();
    const child = await f.serve();
    child.kill('SIGTERM');
    expect(await child.exited).toEqual({ code: 0, signal: null });
    expect(logRecords(child.stdout()).map((r) => r.msg)).toContain('reelay stopped');
    expect(child.stderr()).toMatch(/SIGTERM received, stopping/);
    expectNoSecrets(child.stdout() + child.stderr());
  });

  it('a HeyGen key HeyGen rejects pauses the queue with one alert naming the variable, never the key, and bills nothing', { timeout: 120_000 }, async () => {
    f = await startServeFixture();
    const wrongKey = `hg-revoked-${'0123456789abcdef'.repeat(2)}`;
    const child = await f.serve({ HEYGEN_API_KEY: wrongKey });
    const crm = f.sandbox.hubspot.crm;
    const id = crm.create('contacts', { firstname: 'Kim', company: 'Revoked Co' }).id;
    const delivery = await f.sandbox.hubspot.webhooks.sendWorkflow({ objectType: 'contacts', objectId: id, campaign: 'bdr-intro' });
    expect(delivery.delivered).toBe(true);

    const alert = await child.waitForOutput(/queue paused/, 60_000);
    expect(JSON.parse(alert)).toMatchObject({ level: 50, scope: 'heygen', msg: expect.stringMatching(/HEYGEN_API_KEY/) });
    expect(f.sandbox.heygen.ledger()).toEqual([]);
    expect(crm.get('contacts', id)?.properties.heygen_render_status).toBeUndefined();
    child.kill('SIGTERM');
    expect((await child.exited).code).toBe(0);
    expectNoSecrets(child.stdout() + child.stderr());
  });
});
