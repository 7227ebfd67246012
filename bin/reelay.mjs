#!/usr/bin/env node
// The `reelay` executable: runs the compiled JavaScript in dist/, built from
// src/ by `npm ci` (the `prepare` script) or `npm run build`. No TypeScript
// compiler at run time; stack traces point to the .ts files via source maps.
import { existsSync } from 'node:fs';
import v8 from 'node:v8';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
  process.stderr.write(`reelay: no build found (${fileURLToPath(main)} is missing); run \`npm run build\` in ${root}\n`);
  process.exit(1);
}
process.setSourceMapsEnabled(true);
// V8 lets the old generation grow by up to 2x (and, under load, far more)
// past what survived the last full collection before collecting again. For
// a service whose live heap is a few tens of MB but whose garbage is
// steady (every request and job allocates and drops), that is memory held
// for nothing. With a 20% growth step, the 2,000-contact burst peaked at
// 167 MB of RSS instead of 246 MB (V8 heap in use: 47 MB instead of 132),
// with the same drain time (npm run bench -- --scenario burst --contacts
// 2000). The flag is read at each collection, so setting it here works;
// REELAY_HEAP_GROWTH_PERCENT=0 restores V8's own choice.
const growth = process.env.REELAY_HEAP_GROWTH_PERCENT ?? '20';
if (/^\d+$/.test(growth) && growth !== '0') v8.setFlagsFromString(`--heap-growing-percent=${growth}`);
await import(main.href);
