/**
 * The render lifecycle (`src/engine/lifecycle.ts`) is the only way a render's
 * state changes or its timeline grows. This reads the source to prove it:
 * only four store operations write `state` or `render_timeline`, and only the
 * lifecycle calls them. (The store's `RenderUpdate` type has no `state`, so a
 * reschedule cannot sneak one in: `tsc` checks the line marked below.)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RenderUpdate } from '../../src/store/schema.js';

const SRC = join(import.meta.dirname, '../../src');
const LIFECYCLE = 'engine/lifecycle.ts';
/** One SQL operation per file; each writes render state or timeline rows. */
const STATE_WRITERS = ['store/apply-render-change.ts', 'store/expand-render.ts', 'store/reserve-submissions.ts', 'store/ingest-events.ts'];

function sources(dir: string): { path: string; text: string }[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return entry.name.endsWith('.ts') ? [{ path: relative(SRC, full), text: readFileSync(full, 'utf8') }] : [];
  });
}

/** Value (not type-only) imports and re-exports of a file, and its dynamic imports, as paths relative to `src`. */
function valueImports(file: { path: string; text: string }): string[] {
  const specifiers: string[] = [];
  for (const match of file.text.matchAll(/\b(?:import|export)\s+(type\s+)?([^;'"]*?)\s*from\s+['"]([^'"]+)['"]/g)) {
    const [, typeOnly, what = '', from = ''] = match;
    const names = /^\{([^}]*)\}$/.exec(what.trim())?.[1];
    const allTypes = names !== undefined && names.split(',').every((n) => n.trim() === '' || n.trim().startsWith('type '));
    if (!typeOnly && !allTypes) specifiers.push(from);
  }
  for (const match of file.text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) specifiers.push(match[1] ?? '');
  return specifiers.filter((from) => from.startsWith('.')).map((from) => relative(SRC, join(SRC, file.path, '..', from)).replace(/\.js$/, '.ts'));
}

describe('who may change a render', () => {
  const files = sources(SRC);

  it('finds the sources it judges', () => {
    for (const path of [LIFECYCLE, ...STATE_WRITERS]) expect(files.map((f) => f.path)).toContain(path);
  });

  it('only the four store operations insert renders or timeline entries, or set a render state', () => {
    const offenders = files
      .filter((f) => !STATE_WRITERS.includes(f.path) && !f.path.startsWith('sandbox/') && !f.path.startsWith('store/migrations/'))
      .filter((f) => {
        const inserts = /insertInto\(\s*['"`]render(s|_timeline)['"`]\s*\)/.test(f.text) || /insert\s+into\s+render(s|_timeline)\b/i.test(f.text);
        const rawUpdate = /update\s+renders\b/i.test(f.text);
        const setsState = /updateTable\(\s*['"`]renders['"`]\s*\)/.test(f.text) && /\bstate\s*:/.test(f.text);
        return inserts || rawUpdate || setsState;
      })
      .map((f) => f.path);
    expect(offenders).toEqual([]);
  });

  it('only the lifecycle calls them', () => {
    const callers = files.filter((f) => valueImports(f).some((m) => STATE_WRITERS.includes(m))).map((f) => f.path);
    expect(callers).toEqual([LIFECYCLE]);
  });

  it('a render update cannot carry a state', () => {
    // @ts-expect-error: `state` is not a column a RenderUpdate may set.
    const update: RenderUpdate = { state: 'completed' };
    expect(update).toBeDefined();
  });
});
