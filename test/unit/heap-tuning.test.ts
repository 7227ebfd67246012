/**
 * `bin/heap-tuning.mjs`, which `bin/reelay.mjs` runs first: the young
 * generation stays near its cap through start-up, a worker thread's start
 * (which puts V8's flags back to their implied values) and steady allocation
 * with survivors, where V8 left alone grows it to its 32 MB maximum. Each
 * case runs in a fresh `node`, since the flags are process-wide.
 */
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/cli.js';

const MB = 1024 * 1024;
const tuning = pathToFileURL(`${REPO_ROOT}/bin/heap-tuning.mjs`).href;

/** The new space's size after allocating like a busy service: short-lived objects, a share surviving, a worker thread started midway. */
function newSpaceAfterWork(env: Record<string, string>): number {
  const script = `
    import v8 from 'node:v8';
    import { Worker } from 'node:worker_threads';
    const { tuneHeap } = await import(${JSON.stringify(tuning)});
    tuneHeap(process.env);
    const kept = [];
    for (let round = 0; round < 60; round += 1) {
      if (round === 10) await new Promise((resolve) => new Worker('setTimeout(() => {}, 10)', { eval: true }).once('exit', resolve));
      for (let i = 0; i < 20000; i += 1) {
        const item = { id: i, name: 'contact-' + i, values: [i, round] };
        if (i % 20 === 0) kept.push(item);
      }
      if (kept.length > 20000) kept.splice(0, 10000);
      await new Promise((resolve) => setImmediate(resolve));
    }
    const space = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
    process.stdout.write(String(space.space_size));
  `;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env } });
  expect(result.status, result.stderr).toBe(0);
  return Number(result.stdout);
}

describe('heap tuning', () => {
  it('keeps the young generation within one doubling of REELAY_YOUNG_GENERATION_MB, where V8 alone grows it to 32 MB', () => {
    expect(newSpaceAfterWork({ REELAY_YOUNG_GENERATION_MB: '0' })).toBeGreaterThanOrEqual(16 * MB);
    expect(newSpaceAfterWork({ REELAY_YOUNG_GENERATION_MB: '4' })).toBeLessThanOrEqual(8 * MB);
  });

  it('caps it at 4 MB by default', () => {
    expect(newSpaceAfterWork({})).toBeLessThanOrEqual(8 * MB);
  });

  it('reelay refuses a malformed setting with one line naming it', () => {
    const cases: [string, string][] = [['REELAY_YOUNG_GENERATION_MB', '4MB'], ['REELAY_HEAP_GROWTH_PERCENT', '-5']];
    for (const [name, value] of cases) {
      const result = spawnSync(process.execPath, [`${REPO_ROOT}/bin/reelay.mjs`, '--help'], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', [name]: value } });
      expect(result.status).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe(`reelay: ${name} must be a whole number (0 keeps V8's own choice), not "${value}"\n`);
    }
  });
});
