/**
 * The compiled build as a user meets it: `bin/reelay.mjs` runs `dist/`
 * (built by `npm ci` through `prepare`, and by the tests' global setup);
 * a checkout without it says what to run, and a crash names the .ts line.
 */
import { spawnSync } from 'node:child_process';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, tempDir, type TempDir } from '../helpers/cli.js';

describe('the compiled build', () => {
  let dir: TempDir;
  beforeAll(() => {
    dir = tempDir('reelay-build-');
  });
  afterAll(() => dir?.remove());

  it('without dist/ (install scripts skipped) the executable prints one line telling to run npm run build, and exits 1', () => {
    // A checkout of the executable (bin/ as committed) with no build beside it.
    cpSync(join(REPO_ROOT, 'bin'), join(dir.path, 'bin'), { recursive: true });
    const bin = join(dir.path, 'bin', 'reelay.mjs');

    const result = spawnSync(process.execPath, [bin, '--help'], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    const stderr = result.stderr.split('\n').filter((line) => line.trim() !== '');
    expect(stderr).toHaveLength(1);
    expect(stderr[0]).toMatch(/^reelay: no build found .*; run `npm run build` in /);
  });

  it('a stack trace from the built code points to the TypeScript source', () => {
    // What bin/reelay.mjs does (source maps on), then an error thrown inside dist/.
    const script = [
      'process.setSourceMapsEnabled(true);',
      "const { parseConfig } = await import('./dist/config/load.js');",
      "try { parseConfig('campaigns: 3', {}, 'test'); } catch (err) { process.stdout.write(err.stack); }",
    ].join('\n');
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^\s+at .*src\/config\/load\.ts:\d+:\d+/m);
    expect(result.stdout).not.toMatch(/dist\/config\/load\.js/);
  });
});
