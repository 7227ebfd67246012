/**
 * Shared pieces of the property-based (fuzz) tests: a reproducible seed, a
 * run count scale, and arbitraries that mutate valid inputs.
 *
 * - Seed: `FUZZ_SEED` (default 20261201, fixed so a run is reproducible).
 *   A failure prints `FUZZ_SEED=<seed>` and fast-check's counterexample path.
 * - Runs: `FUZZ_SCALE` multiplies every run count (default 1), e.g.
 *   `FUZZ_SCALE=10 FUZZ_SEED=$RANDOM npx vitest run test/fuzz` for a long hunt.
 */
import fc from 'fast-check';

export const FUZZ_SEED = readInt('FUZZ_SEED', 20_261_201);
const FUZZ_SCALE = Number(process.env.FUZZ_SCALE ?? '1') || 1;

function readInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value)) throw new Error(`${name} must be an integer, got ${JSON.stringify(raw)}`);
  return value;
}

export function runs(n: number): number {
  return Math.max(1, Math.round(n * FUZZ_SCALE));
}

/** `fc.assert` with the shared seed; a failure names the seed to reproduce it. */
export function fuzz<T>(property: fc.IProperty<T>, numRuns: number): void {
  try {
    fc.assert(property, { seed: FUZZ_SEED, numRuns: runs(numRuns) });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`fuzz failure (reproduce with FUZZ_SEED=${FUZZ_SEED})\n${message}`, { cause: error });
  }
}

/** The async variant, for properties that talk HTTP. */
export async function fuzzAsync<T>(property: fc.IAsyncProperty<T>, numRuns: number): Promise<void> {
  try {
    await fc.assert(property, { seed: FUZZ_SEED, numRuns: runs(numRuns) });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`fuzz failure (reproduce with FUZZ_SEED=${FUZZ_SEED})\n${message}`, { cause: error });
  }
}

type Edit =
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'replace'; at: number; text: string }
  | { kind: 'duplicate'; at: number; length: number }
  | { kind: 'swap'; at: number; other: number };

/** Characters that matter to JSON, YAML, URLs and signatures, plus any unicode. */
const interesting = fc.oneof(
  fc.constantFrom('{', '}', '[', ']', '"', "'", ',', ':', '\\', '\n', ' ', '-', '#', '&', '*', '!', '|', '>', '%', '$', '0', '1e999', 'null', '\u0000', '\\u0000', '%00', '\uD800', '𝄞', '%3A', '${X}', '~'),
  fc.string({ minLength: 1, maxLength: 4, unit: 'binary' }),
);

const fraction = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true });

const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fraction, length: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fraction, text: interesting }),
  fc.record({ kind: fc.constant('replace' as const), at: fraction, text: interesting }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fraction, length: fc.integer({ min: 1, max: 16 }) }),
  fc.record({ kind: fc.constant('swap' as const), at: fraction, other: fraction }),
).map((e) => e as Edit);

function applyEdit(text: string, e: Edit): string {
  const at = Math.floor(e.at * (text.length + 1));
  switch (e.kind) {
    case 'delete':
      return text.slice(0, at) + text.slice(at + e.length);
    case 'insert':
      return text.slice(0, at) + e.text + text.slice(at);
    case 'replace':
      return text.slice(0, at) + e.text + text.slice(at + e.text.length);
    case 'duplicate':
      return text.slice(0, at + e.length) + text.slice(at, at + e.length) + text.slice(at + e.length);
    case 'swap': {
      const other = Math.floor(e.other * text.length);
      if (at >= text.length || other === at) return text;
      const chars = [...text];
      const [a, b] = [Math.min(at, other, chars.length - 1), Math.min(Math.max(at, other), chars.length - 1)];
      [chars[a], chars[b]] = [chars[b] as string, chars[a] as string];
      return chars.join('');
    }
  }
}

/** `text` with 1..`maxEdits` random edits (deletes, inserts, replacements, duplications, swaps). */
export function mutated(text: fc.Arbitrary<string> | string, maxEdits = 4): fc.Arbitrary<string> {
  const base = typeof text === 'string' ? fc.constant(text) : text;
  return fc.tuple(base, fc.array(edit, { minLength: 1, maxLength: maxEdits })).map(([t, edits]) => edits.reduce(applyEdit, t));
}

/** JSON-ish values with the awkward corners: deep nesting, big numbers, odd keys. */
export const awkwardJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 5, arbitrary: fc.jsonValue({ maxDepth: 6 }) },
  { weight: 1, arbitrary: fc.integer({ min: 60, max: 3_000 }).map((depth) => nest(depth)) },
  {
    weight: 2,
    arbitrary: fc.dictionary(fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', '', ' ', 'id', 'vid'), fc.jsonValue({ maxDepth: 2 })),
  },
);

function nest(depth: number): unknown {
  let value: unknown = 'x';
  for (let i = 0; i < depth; i++) value = i % 3 === 0 ? { k: value } : [value];
  return value;
}
