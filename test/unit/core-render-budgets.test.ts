import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffConfig } from '../../src/config/config-diff.js';
import { InvalidConfigError, parseConfig } from '../../src/config/load.js';
import {
  allocateSlots,
  budgetUse,
  exhaustedCampaigns,
  isExhausted,
  nextUtcMidnight,
  utcDay,
  type BudgetCaps,
  type SlotCandidate,
} from '../../src/core/render-budgets.js';

const candidate = (id: number, campaignId: string, charged = false): SlotCandidate => ({ id, campaignId, charged });

describe('credit budget decisions', () => {
  it('counts by UTC day', () => {
    expect(utcDay(Date.UTC(2026, 11, 1, 23, 59, 59, 999))).toBe('2026-12-01');
    expect(utcDay(Date.UTC(2026, 11, 2))).toBe('2026-12-02');
    expect(nextUtcMidnight(Date.UTC(2026, 11, 1, 13))).toBe(Date.UTC(2026, 11, 2));
    expect(nextUtcMidnight(Date.UTC(2026, 11, 2))).toBe(Date.UTC(2026, 11, 3));
  });

  it('takes slots up to the global cap, oldest first', () => {
    const caps: BudgetCaps = { daily: 3, campaigns: {} };
    const result = allocateSlots([1, 2, 3, 4, 5].map((id) => candidate(id, 'a')), caps, new Map([['a', 1]]));
    expect(result.chosen).toEqual([1, 2]);
    expect(result.charged.map((c) => c.id)).toEqual([1, 2]);
  });

  it('applies both the global and the campaign cap; a capped campaign does not hold up another', () => {
    const caps: BudgetCaps = { daily: 10, campaigns: { a: { daily: 2 } } };
    const result = allocateSlots([candidate(1, 'a'), candidate(2, 'a'), candidate(3, 'a'), candidate(4, 'b'), candidate(5, 'b')], caps, new Map());
    expect(result.chosen).toEqual([1, 2, 4, 5]);
    expect(exhaustedCampaigns(caps, new Map([['a', 2]]))).toEqual(['a']);
    expect(exhaustedCampaigns(caps, new Map([['a', 1]]))).toEqual([]);
  });

  it('a render that already holds a slot for its submission passes without a second one, even at the cap', () => {
    const caps: BudgetCaps = { daily: 1, campaigns: {} };
    const result = allocateSlots([candidate(1, 'a', true), candidate(2, 'a'), candidate(3, 'a')], caps, new Map([['a', 1]]));
    expect(result.chosen).toEqual([1]);
    expect(result.charged).toEqual([]);
  });

  it('without caps, everything passes and takes a slot (use is still counted)', () => {
    const result = allocateSlots([candidate(1, 'a'), candidate(2, 'b')], { campaigns: {} }, new Map([['a', 100]]));
    expect(result.chosen).toEqual([1, 2]);
    expect(result.charged).toHaveLength(2);
  });

  it('never exceeds either cap, whatever the candidates and prior use', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ campaign: fc.constantFrom('a', 'b', 'c'), charged: fc.boolean() }), { maxLength: 40 }),
        fc.option(fc.integer({ min: 0, max: 20 }), { nil: undefined }),
        fc.integer({ min: 0, max: 8 }),
        fc.integer({ min: 0, max: 10 }),
        (items, daily, capA, usedA) => {
          const caps: BudgetCaps = { daily, campaigns: { a: { daily: capA } } };
          const used = new Map([['a', usedA]]);
          const { chosen, charged } = allocateSlots(items.map((it, i) => candidate(i, it.campaign, it.charged)), caps, used);
          if (daily !== undefined) expect(charged.length).toBeLessThanOrEqual(Math.max(0, daily - usedA));
          expect(charged.filter((c) => c.campaignId === 'a').length).toBeLessThanOrEqual(Math.max(0, capA - usedA));
          // Charged candidates always pass; new slots only for uncharged ones.
          for (const [i, it] of items.entries()) if (it.charged) expect(chosen).toContain(i);
          expect(charged.every((c) => !c.charged)).toBe(true);
        },
      ),
    );
  });

  it('reports use per scope, with null caps where uncapped', () => {
    const uses = budgetUse({ daily: 5, campaigns: { a: { daily: 2 } } }, new Map([['a', 2], ['b', 3]]), '2026-12-01', ['a', 'b']);
    expect(uses).toEqual([
      { scope: 'global', cap: 5, used: 5, day: '2026-12-01' },
      { scope: 'campaign:a', cap: 2, used: 2, day: '2026-12-01' },
      { scope: 'campaign:b', cap: null, used: 3, day: '2026-12-01' },
    ]);
    expect(uses.map(isExhausted)).toEqual([true, true, false]);
  });
});

const BASE = `
campaigns:
  - id: a
    template: tpl_a
    variables: { first_name: { property: firstname } }
  - id: b
    template: tpl_b
    variables: { first_name: { property: firstname } }
`;

describe('budgets configuration', () => {
  it('reads global and per-campaign caps', () => {
    const config = parseConfig(`${BASE}budgets:\n  daily: 100\n  campaigns:\n    a: { daily: 10 }\n`, {}, 'reelay.yaml');
    expect(config.budgets).toEqual({ daily: 100, campaigns: { a: { daily: 10 } } });
    expect(parseConfig(BASE, {}, 'reelay.yaml').budgets).toEqual({ campaigns: {} });
  });

  it('refuses an unknown campaign id, an unknown key and a bad cap, naming the path', () => {
    const problems = (yaml: string) => {
      try {
        parseConfig(`${BASE}${yaml}`, {}, 'reelay.yaml');
      } catch (err) {
        if (err instanceof InvalidConfigError) return err.issues.map((i) => `${i.where}: ${i.message}`);
        throw err;
      }
      return [];
    };
    expect(problems('budgets:\n  campaigns:\n    nope: { daily: 1 }\n')).toEqual(['budgets.campaigns.nope: no campaign has the id nope']);
    expect(problems('budgets:\n  weekly: 1\n')).toEqual(['budgets.weekly: unknown key']);
    expect(problems('budgets:\n  campaigns:\n    a: { daily: 1, monthly: 2 }\n')).toEqual(['budgets.campaigns.a.monthly: unknown key']);
    expect(problems('budgets:\n  daily: -1\n')[0]).toMatch(/^budgets\.daily: /);
  });
});

describe('configuration reload: what applies and what needs a restart', () => {
  const parse = (yaml: string) => parseConfig(yaml, {}, 'reelay.yaml');

  it('takes campaigns, budgets, validation and retention; reports other changes as needing a restart', () => {
    const running = parse(`heygen: { concurrency: 3 }\n${BASE}budgets: { daily: 3 }\n`);
    const next = parse(`heygen: { concurrency: 5 }\nserver: { bodyLimit: 2mb }\n${BASE.replace('id: b', 'id: c')}budgets: { daily: 9, campaigns: { a: { daily: 1 } } }\nvalidation: { maxLength: 50 }\n`);
    const { config, changes, restartNeeded } = diffConfig(running, next);
    expect(config.campaigns.map((c) => c.id)).toEqual(['a', 'c']);
    expect(config.budgets).toEqual(next.budgets);
    expect(config.validation.maxLength).toBe(50);
    expect(config.heygen.concurrency).toBe(3);
    expect(config.server).toEqual(running.server);
    expect(changes).toEqual(['campaigns added: c', 'campaigns removed: b', 'budgets.daily: 3 → 9', 'budgets.campaigns.a.daily: none → 1', 'validation changed']);
    expect(restartNeeded).toEqual(['heygen.concurrency', 'server.bodyLimit']);
  });

  it('the same file changes nothing', () => {
    const running = parse(BASE);
    const { changes, restartNeeded } = diffConfig(running, parse(BASE));
    expect(changes).toEqual([]);
    expect(restartNeeded).toEqual([]);
  });
});
