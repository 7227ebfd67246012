/**
 * The render lifecycle (`src/engine/lifecycle.ts`) is the only way a render's
 * state changes or its timeline grows. This reads the source to prove it:
 * only five store operations write `state` or `render_timeline`, and only the
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
const STATE_WRITERS = ['store/apply-render-change.ts', 'store/expand-render.ts', 'store/reserve-submissions.ts', 'store/ingest-events.ts', 'store/erase-record.ts'];

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

/** Whether the file itself inserts renders or timeline rows, or sets a render's state. */
function writesRenderState(text: string): boolean {
  const inserts = /insertInto\(\s*['"`]render(s|_timeline)['"`]\s*\)/.test(text) || /insert\s+into\s+render(s|_timeline)\b/i.test(text);
  const rawUpdate = /update\s+renders\b/i.test(text);
  const setsState = /updateTable\(\s*['"`]renders['"`]\s*\)/.test(text) && /\bstate\s*:/.test(text);
  return inserts || rawUpdate || setsState;
}

describe('who may change a render', () => {
  const files = sources(SRC).filter((f) => !f.path.startsWith('sandbox/') && !f.path.startsWith('store/migrations/'));

  it('finds the sources it judges', () => {
    for (const path of [LIFECYCLE, ...STATE_WRITERS]) expect(files.map((f) => f.path)).toContain(path);
  });

  it('only the five store operations insert renders or timeline entries, or set a render state', () => {
    expect(files.filter((f) => writesRenderState(f.text)).map((f) => f.path).sort()).toEqual([...STATE_WRITERS].sort());
  });

  it('only the lifecycle calls them (directly, or through a store operation that composes one)', () => {
    // Store operations that run one of them inside their own transaction are writers too.
    const writers = new Set(STATE_WRITERS);
    for (let grew = true; grew; ) {
      grew = false;
      for (const f of files) {
        if (f.path.startsWith('store/') && !writers.has(f.path) && valueImports(f).some((m) => writers.has(m))) {
          writers.add(f.path);
          grew = true;
        }
      }
    }
    const callers = files.filter((f) => !writers.has(f.path) && valueImports(f).some((m) => writers.has(m))).map((f) => f.path);
    expect(callers).toEqual([LIFECYCLE]);
  });

  it('a render update cannot carry a state', () => {
    // @ts-expect-error: `state` is not a column a RenderUpdate may set.
    const update: RenderUpdate = { state: 'completed' };
    expect(update).toBeDefined();
  });
});
