/**
 * What a configuration reload applies, and what it reports. A running
 * service takes from a new file only the sections every reader looks up at
 * the time of use: `campaigns` (for new work: renders already enriched keep
 * their frozen plans), `budgets`, `validation` and `retention`. Everything
 * else (HeyGen and HubSpot clients and limits, worker loops, the HTTP
 * server) is built once at start: a change there is reported as needing a
 * restart and the running value stays.
 */
import type { ReelayConfig } from './schema.js';

export const RELOADED_SECTIONS = ['campaigns', 'budgets', 'validation', 'retention'] as const;

export interface ConfigChanges {
  /** The configuration to run from now on: the running one with the reloaded sections of the new one. */
  config: ReelayConfig;
  /** Human lines: campaigns added, removed or changed; caps changed; other reloaded sections changed. */
  changes: string[];
  /** Paths whose new value needs a restart (`heygen.concurrency`), kept at their running value. */
  restartNeeded: string[];
}

export function diffConfig(running: ReelayConfig, next: ReelayConfig): ConfigChanges {
  const config: ReelayConfig = { ...running, campaigns: next.campaigns, budgets: next.budgets, validation: next.validation, retention: next.retention };
  const changes: string[] = [];

  const before = new Map(running.campaigns.map((c) => [c.id, c]));
  const after = new Map(next.campaigns.map((c) => [c.id, c]));
  const added = [...after.keys()].filter((id) => !before.has(id));
  const removed = [...before.keys()].filter((id) => !after.has(id));
  const changed = [...after.keys()].filter((id) => before.has(id) && !same(before.get(id), after.get(id)));
  if (added.length > 0) changes.push(`campaigns added: ${added.join(', ')}`);
  if (removed.length > 0) changes.push(`campaigns removed: ${removed.join(', ')}`);
  if (changed.length > 0) changes.push(`campaigns changed: ${changed.join(', ')}`);

  const capText = (cap: number | undefined) => (cap === undefined ? 'none' : String(cap));
  if (running.budgets.daily !== next.budgets.daily) changes.push(`budgets.daily: ${capText(running.budgets.daily)} → ${capText(next.budgets.daily)}`);
  const capped = new Set([...Object.keys(running.budgets.campaigns), ...Object.keys(next.budgets.campaigns)]);
  for (const id of [...capped].sort()) {
    const old = running.budgets.campaigns[id]?.daily;
    const now = next.budgets.campaigns[id]?.daily;
    if (old !== now) changes.push(`budgets.campaigns.${id}.daily: ${capText(old)} → ${capText(now)}`);
  }
  for (const section of ['validation', 'retention'] as const) {
    if (!same(running[section], next[section])) changes.push(`${section} changed`);
  }

  const restartNeeded: string[] = [];
  for (const key of Object.keys({ ...running, ...next }) as (keyof ReelayConfig)[]) {
    if ((RELOADED_SECTIONS as readonly string[]).includes(key)) continue;
    differingPaths(running[key], next[key], key, restartNeeded);
  }
  return { config, changes, restartNeeded };
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function differingPaths(a: unknown, b: unknown, path: string, out: string[]): void {
  if (same(a, b)) return;
  if (isPlainObject(a) && isPlainObject(b)) {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) differingPaths(a[key], b[key], `${path}.${key}`, out);
    return;
  }
  out.push(path);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
