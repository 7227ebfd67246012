/**
 * Credit budgets (`budgets:`): at the cap, renders wait in `enriched` (never
 * FAILED), the queue shows as paused with reason `budget`, one alert is
 * logged and `reelay_budget_exhausted{scope}` is 1; work resumes the next
 * UTC day or when a reload raises the cap. Proven with HeyGen's ledger (what
 * was billed), on SQLite and PostgreSQL.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { budgetUsage } from '../../src/app/budget-usage.js';
import { applyConfig, reloadConfigFile } from '../../src/app/reload-config.js';
import { parseConfig } from '../../src/config/load.js';
import { runDoctor } from '../../src/doctor/run-doctor.js';
import type { Clock } from '../../src/core/clock.js';
import { nextUtcMidnight } from '../../src/core/render-budgets.js';
import { getMeta } from '../../src/store/meta.js';
import { startHarness, TEST_CONFIG, type Harness } from '../helpers/harness.js';
import { testDialects } from '../helpers/databases.js';

const DAY_MS = 86_400_000;

/** Real time moved by an offset: starts at noon UTC today, so the day cannot turn by itself during a test. */
class ShiftedClock implements Clock {
  private offset: number;
  constructor() {
    const now = Date.now();
    this.offset = Math.floor(now / DAY_MS) * DAY_MS + DAY_MS / 2 - now;
  }
  now(): number {
    return Date.now() + this.offset;
  }
  /** To just after the next midnight UTC. */
  nextDay(): void {
    const now = this.now();
    this.offset += nextUtcMidnight(now) - now + 1_000;
  }
}

const withBudgets = (yaml: string) => `${TEST_CONFIG}${yaml}`;

describe.each(await testDialects())('credit budgets on %s', (dialect) => {
  let h: Harness;
  afterEach(async () => h?.stop());

  async function start(budgets: string, clock = new ShiftedClock()): Promise<ShiftedClock> {
    // The sandbox signs HeyGen callbacks with the same clock, so they stay fresh when the day is moved.
    h = await startHarness({ dialect, clock, config: withBudgets(budgets), sandbox: { heygen: { clock } } });
    return clock;
  }

  async function trigger(campaign: string, n: number, company: string): Promise<string[]> {
    const crm = h.sandbox.hubspot.crm;
    const ids = Array.from({ length: n }, (_, i) => crm.create('contacts', { firstname: `Pat${i}`, company, contract_end_date: '2027-01-01' }).id);
    for (const id of ids) expect((await h.postHubSpot({ hs_object_id: Number(id) }, { query: `?campaign=${campaign}` })).status).toBe(200);
    return ids;
  }

  const billed = () => h.sandbox.heygen.ledger().filter((e) => e.billed);
  const states = async () => {
    const rows = await h.service.store.db.selectFrom('renders').select(['state', 'campaign_id']).execute();
    const count: Record<string, number> = {};
    for (const r of rows) count[r.state] = (count[r.state] ?? 0) + 1;
    return count;
  };
  const gauge = async (scope: string) => {
    const text = await h.service.metrics.registry.getSingleMetricAsString('reelay_budget_exhausted');
    const line = text.split('\n').find((l) => l.startsWith(`reelay_budget_exhausted{scope="${scope}"}`));
    return line === undefined ? undefined : Number(line.split(' ').at(-1));
  };
  const alerts = (scope: string) => h.logs().split('\n').filter((l) => l.includes(`budget:${scope} queue paused`));

  it('bills exactly the cap, keeps the rest waiting in enriched, and resumes on the next UTC day', async () => {
    const clock = await start('budgets:\n  daily: 3\n');
    const ids = await trigger('bdr-intro', 10, 'Capped Co');

    await h.waitFor(async () => {
      const s = await states();
      return s.completed === 3 && s.enriched === 7 && (await getMeta(h.service.store, 'pause:budget:global'));
    }, 30_000, '3 renders billed and 7 waiting');
    // A few more submit ticks change nothing: the cap holds.
    await new Promise((r) => setTimeout(r, 500));
    expect(billed()).toHaveLength(3);
    expect(await states()).toEqual({ completed: 3, enriched: 7 });
    const pause = JSON.parse((await getMeta(h.service.store, 'pause:budget:global')) ?? '{}');
    expect(pause).toMatchObject({ code: 'budget' });
    expect(pause.reason).toMatch(/daily budget of 3 renders is used up/);
    expect(await gauge('global')).toBe(1);
    expect(alerts('global')).toHaveLength(1);
    expect(await budgetUsage(h.service.ctx)).toContainEqual(expect.objectContaining({ scope: 'global', cap: 3, used: 3 }));
    const crm = h.sandbox.hubspot.crm;
    const waiting = ids.filter((id) => crm.get('contacts', id)?.properties.heygen_render_status === undefined);
    expect(waiting).toHaveLength(7);

    clock.nextDay();
    await h.waitFor(async () => (await states()).completed === 6, 30_000, 'the next day\'s 3 renders');
    await new Promise((r) => setTimeout(r, 500));
    expect(await states()).toEqual({ completed: 6, enriched: 4 });
    expect(billed()).toHaveLength(6);
    expect(alerts('global')).toHaveLength(2);

    // The cap raised by a reload: the rest go through today.
    const reloaded = applyConfig(h.service.ctx, parseConfig(withBudgets('budgets:\n  daily: 20\n'), {}, 'raised'), 'raised');
    expect(reloaded).toEqual({ ok: true, changes: ['budgets.daily: 3 → 20'], restartNeeded: [] });
    await h.settled(30_000);
    expect(await states()).toEqual({ completed: 10 });
    expect(billed()).toHaveLength(10);
    expect(await getMeta(h.service.store, 'pause:budget:global')).toBeUndefined();
    expect(await gauge('global')).toBe(0);
    for (const id of ids) expect(crm.get('contacts', id)?.properties.heygen_render_status).toBe('COMPLETED');
  }, 90_000);

  it('a campaign at its cap does not hold up another campaign', async () => {
    await start('budgets:\n  campaigns:\n    bdr-intro: { daily: 2 }\n');
    await trigger('bdr-intro', 5, 'Capped Campaign Co');
    await trigger('renewal', 4, 'Free Campaign Co');

    await h.waitFor(async () => {
      const rows = await h.service.store.db.selectFrom('renders').select(['state', 'campaign_id']).execute();
      const done = (c: string) => rows.filter((r) => r.campaign_id === c && r.state === 'completed').length;
      return done('renewal') === 4 && done('bdr-intro') === 2 && (await getMeta(h.service.store, 'pause:budget:campaign:bdr-intro'));
    }, 30_000, 'renewal done, bdr-intro at its cap');
    await new Promise((r) => setTimeout(r, 500));
    expect(billed()).toHaveLength(6);
    expect(await states()).toEqual({ completed: 6, enriched: 3 });
    expect(await gauge('campaign:bdr-intro')).toBe(1);
    expect(await getMeta(h.service.store, 'pause:budget:global')).toBeUndefined();
    expect(await getMeta(h.service.store, 'pause:heygen')).toBeUndefined();
    const usage = await budgetUsage(h.service.ctx);
    expect(usage).toContainEqual(expect.objectContaining({ scope: 'global', cap: null, used: 6 }));
    expect(usage).toContainEqual(expect.objectContaining({ scope: 'campaign:bdr-intro', cap: 2, used: 2 }));
    expect(usage).toContainEqual(expect.objectContaining({ scope: 'campaign:renewal', cap: null, used: 4 }));

    let text = '';
    const code = await runDoctor({ env: h.env, config: h.service.ctx.config, clock: h.service.ctx.clock, out: { write: (t: string) => (text += t), isTTY: false } });
    expect(code).toBe(0);
    expect(text).toMatch(/budget \(all campaigns\): 6\/no cap renders billed today/);
    expect(text).toMatch(/budget campaign:bdr-intro: 2\/2 renders billed today \(\d{4}-\d\d-\d\d UTC\): the cap is reached and renders wait in enriched/);
    expect(text).toMatch(/budget campaign:renewal: 4\/no cap renders billed today/);

    const api = await fetch(`${h.service.url}/api/budgets`, { headers: { authorization: `Bearer ${h.secrets.adminToken}` } });
    expect(api.status).toBe(200);
    expect(((await api.json()) as { budgets: unknown[] }).budgets).toContainEqual(expect.objectContaining({ scope: 'campaign:bdr-intro', cap: 2, used: 2, exhausted: true }));
  }, 60_000);

  it('a submission HeyGen refused gives its slot back', async () => {
    await start('budgets:\n  daily: 2\n');
    // An unknown template: HeyGen refuses the create (4xx), nothing is billed.
    h.service.ctx.config = { ...h.service.ctx.config, campaigns: h.service.ctx.config.campaigns.map((c) => (c.id === 'renewal' ? { ...c, template: 'tpl_missing' } : c)) };
    await trigger('renewal', 1, 'Refused Co');
    await h.waitFor(async () => (await states()).failed === 1, 30_000, 'the refused render to fail');
    await h.waitFor(async () => (await budgetUsage(h.service.ctx))[0]?.used === 0, 10_000, 'the slot to be given back');
    await trigger('bdr-intro', 2, 'After Refusal Co');
    await h.settled(30_000);
    expect(billed()).toHaveLength(2);
    expect(await states()).toEqual({ failed: 1, completed: 2 });
  }, 60_000);

  it('a reload with an invalid file is refused in one line and the running configuration stays', async () => {
    await start('budgets:\n  daily: 1\n');
    const dir = mkdtempSync(join(tmpdir(), 'reelay-reload-'));
    try {
      const path = join(dir, 'reelay.yaml');
      writeFileSync(path, withBudgets('budgets:\n  daily: 5\n  campaigns:\n    no-such-campaign: { daily: 1 }\n'));
      const running = h.service.ctx.config;
      const outcome = reloadConfigFile(h.service.ctx, path, {});
      expect(outcome.ok).toBe(false);
      if (!outcome.ok) expect(outcome.error).toBe(`invalid configuration in ${path}: budgets.campaigns.no-such-campaign: no campaign has the id no-such-campaign`);
      expect(h.service.ctx.config).toBe(running);
      const refused = h.logs().split('\n').filter((l) => l.includes('configuration reload refused'));
      expect(refused).toHaveLength(1);

      writeFileSync(path, withBudgets('budgets:\n  daily: 5\n').replace('concurrency: 3', 'concurrency: 4'));
      const ok = reloadConfigFile(h.service.ctx, path, {});
      expect(ok).toEqual({ ok: true, changes: ['budgets.daily: 1 → 5'], restartNeeded: ['heygen.concurrency'] });
      expect(h.service.ctx.config.budgets.daily).toBe(5);
      expect(h.service.ctx.config.heygen.concurrency).toBe(3);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
