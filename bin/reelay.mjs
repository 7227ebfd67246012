#!/usr/bin/env node
// The `reelay` executable: runs the compiled JavaScript in dist/, built from
// src/ by `npm ci` (the `prepare` script) or `npm run build`. No TypeScript
// compiler at run time; stack traces point to the .ts files via source maps.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HeapSettingError, tuneHeap } from './heap-tuning.mjs';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
  process.stderr.write(`reelay: no build found (${fileURLToPath(main)} is missing); run \`npm run build\` in ${root}\n`);
  process.exit(1);
}
process.setSourceMapsEnabled(true);
try {
  tuneHeap(process.env);
} catch (err) {
  if (!(err instanceof HeapSettingError)) throw err;
  process.stderr.write(`reelay: ${err.message}\n`);
  process.exit(1);
}
await import(main.href);
