#!/usr/bin/env node
// Runs one TypeScript entry point (benchmarks, soak runs) through tsx. They
// spawn `bin/reelay.mjs`, which runs dist/: bring the build up to date first
// (incremental; about a second when nothing changed).
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { register } from 'tsx/esm/api';

const [entry, ...rest] = process.argv.slice(2);
if (!entry) {
  console.error('usage: run-ts.mjs FILE.ts [args...]');
  process.exit(2);
}
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
try {
  execFileSync(process.execPath, [tsc, '-b', fileURLToPath(new URL('../tsconfig.build.json', import.meta.url))], { stdio: 'inherit' });
} catch {
  console.error('run-ts.mjs: the build failed (npm run build), so dist/ would be stale');
  process.exit(1);
}
process.argv = [process.argv[0], resolve(entry), ...rest];
register();
await import(pathToFileURL(resolve(entry)).href);
