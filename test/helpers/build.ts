/**
 * Vitest global setup: brings `dist/` up to date with `src/` once per run,
 * so every test that spawns `node bin/reelay.mjs` (the e2e tests, the chaos
 * suite, the multi-instance tests) runs the current code, never a stale
 * build. `tsc -b` is incremental: when nothing changed it only compares
 * timestamps and returns in about a second.
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export default function setup(): void {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  try {
    execFileSync(process.execPath, [tsc, '-b', join(REPO_ROOT, 'tsconfig.build.json')], { cwd: REPO_ROOT, stdio: 'pipe' });
  } catch (err) {
    const out = err instanceof Error && 'stdout' in err ? String(err.stdout) : '';
    throw new Error(`npm run build failed, so the tests would run a stale dist/:\n${out}`);
  }
}
