/**
 * The layers' boundaries, read from the source so they cannot erode:
 * - all SQL lives in `src/store` (one operation per file): no other file
 *   imports Kysely or builds a query;
 * - `src/http` and `src/cli` reach the database only through the use cases
 *   of `src/app`: they import no `src/store` module, not even for a type
 *   (`src/app` re-exports the types they need).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '../../src');

interface Source {
  path: string;
  text: string;
}

function sources(dir: string): Source[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return entry.name.endsWith('.ts') ? [{ path: relative(SRC, full).split('\\').join('/'), text: readFileSync(full, 'utf8') }] : [];
  });
}

/** Every module a file imports or re-exports from (type-only included) and imports dynamically, as written. */
function importedModules(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(/\b(?:import|export)\s+(?:type\s+)?[^;'"]*?\s*from\s+['"]([^'"]+)['"]/g)) found.push(match[1] ?? '');
  for (const match of text.matchAll(/\bimport\s+['"]([^'"]+)['"]/g)) found.push(match[1] ?? '');
  for (const match of text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) found.push(match[1] ?? '');
  return found;
}

/** The `src`-relative path a relative specifier of `file` names (`../store/db.js` from `cli/x.ts` is `store/db.ts`). */
function resolved(file: Source, specifier: string): string {
  return relative(SRC, join(SRC, file.path, '..', specifier)).split('\\').join('/').replace(/\.js$/, '.ts');
}

/** What in a file builds or runs SQL: Kysely itself, a query builder, a raw `sql` template, a transaction or connection. */
function sqlMarks(text: string): string[] {
  const marks: RegExp[] = [
    /\bfrom\s+['"]kysely['"]/,
    /\bimport\(\s*['"]kysely['"]\s*\)/,
    /\.(selectFrom|updateTable|insertInto|deleteFrom|replaceInto|mergeInto|selectNoFrom)\s*\(/,
    /\bsql\s*`/,
    /\bsql\.(raw|ref|id|lit|table|join|val)\s*\(/,
    /\.(transaction|connection)\s*\(\s*\)/,
  ];
  return marks.filter((m) => m.test(text)).map((m) => m.source);
}

describe('architecture boundaries', () => {
  const files = sources(SRC);
  const outsideStore = files.filter((f) => !f.path.startsWith('store/'));
  const edges = files.filter((f) => f.path.startsWith('http/') || f.path.startsWith('cli/'));

  it('finds the sources it judges', () => {
    const paths = files.map((f) => f.path);
    for (const path of ['store/db.ts', 'store/list-renders.ts', 'http/routes/admin.ts', 'cli/jobs.ts', 'app/list-renders.ts', 'engine/operations.ts']) {
      expect(paths).toContain(path);
    }
    expect(edges.length).toBeGreaterThan(10);
  });

  it('recognises what it forbids', () => {
    expect(sqlMarks("import { sql } from 'kysely';")).not.toEqual([]);
    expect(sqlMarks("import type { Kysely } from 'kysely';")).not.toEqual([]);
    expect(sqlMarks("await store.db.selectFrom('renders').selectAll().execute();")).not.toEqual([]);
    expect(sqlMarks('await db\n  .deleteFrom("events")')).not.toEqual([]);
    expect(sqlMarks('await sql`select 1`.execute(db);')).not.toEqual([]);
    expect(sqlMarks('await store.db.transaction().execute(fn);')).not.toEqual([]);
    expect(sqlMarks("const n = await countRendersByState(store); // 'select' in prose")).toEqual([]);
    expect(importedModules("import type { Store } from '../store/db.js';\nexport { x } from \"../../store/y.js\";\nawait import('../store/z.js');")).toEqual([
      '../store/db.js',
      '../../store/y.js',
      '../store/z.js',
    ]);
  });

  it('no file outside src/store builds or runs SQL', () => {
    const offenders = outsideStore.flatMap((f) => sqlMarks(f.text).map((mark) => `${f.path}: ${mark}`));
    expect(offenders).toEqual([]);
  });

  it('src/http and src/cli import no src/store module (they call src/app)', () => {
    const offenders = edges.flatMap((f) =>
      importedModules(f.text)
        .filter((m) => m.startsWith('.') && resolved(f, m).startsWith('store/'))
        .map((m) => `${f.path} imports ${m}`),
    );
    expect(offenders).toEqual([]);
  });
});
