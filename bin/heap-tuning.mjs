// How `reelay` keeps V8's memory small: imported by bin/reelay.mjs before
// anything else loads. Each setting trades memory for a little CPU; the
// defaults were chosen with `npm run bench -- --scenario burst` (README,
// Performance). Plain JavaScript because it runs before dist/ is loaded.
import v8 from 'node:v8';
import { PerformanceObserver } from 'node:perf_hooks';

const MB = 1024 * 1024;

/**
 * Old generation: V8 lets it grow by up to 2x (and, under load, far more)
 * past what survived the last full collection before collecting again. For
 * a service whose live heap is a few tens of MB but whose garbage is steady
 * (every request and job allocates and drops), that is memory held for
 * nothing. With a 20% step the 2,000-contact burst peaked at 167 MB of RSS
 * instead of 246 MB, with the same drain time. The flag is read at each
 * collection, so setting it at run time works.
 */
function limitHeapGrowth(percent) {
  if (percent > 0) v8.setFlagsFromString(`--heap-growing-percent=${percent}`);
}

/**
 * Young generation: V8 doubles its two semi-spaces, up to 16 MB each,
 * whenever many objects survive a scavenge, which start-up and every burst
 * of work do, and keeps both committed: `serve` idled with 21 MB of new
 * space holding 6 MB of objects and ran its bursts with 32 MB. The maximum
 * (`--max-semi-space-size`) is fixed when the heap is created and cannot be
 * passed on to a process started as `node bin/reelay.mjs`, but the growth
 * factor is read at each growth. After every collection this sets it to 2
 * (doubling) while a doubling keeps the new space within `maxMb`, and to 1
 * (no growth) from then on. It is set after every collection, not once,
 * because V8 puts the factor back to its minimum of 2 when an isolate
 * starts (the checkpoint thread). The check runs after a collection, so a
 * stretch of synchronous code running several collections can still grow
 * the space one doubling past `maxMb`.
 */
function capYoungGeneration(maxMb) {
  if (maxMb === 0) return;
  const adjust = () => {
    const space = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
    if (space === undefined) return;
    // `space_size` covers both semi-spaces.
    v8.setFlagsFromString(`--semi-space-growth-factor=${space.space_size * 2 <= maxMb * MB ? 2 : 1}`);
  };
  adjust();
  new PerformanceObserver(adjust).observe({ entryTypes: ['gc'] });
}

/**
 * WebAssembly: the platform's `fetch` (undici) parses HTTP with llhttp
 * compiled to WebAssembly. V8 compiles it first with its baseline compiler
 * (Liftoff) and then, once it is hot, again with TurboFan on background
 * threads, whose working memory peaked at 31 MB (heaptrack, a 3,000-contact
 * burst) and stays in those threads' malloc arenas afterwards. Reelay's
 * outbound calls are a few hundred per second at most, for which the
 * baseline code is fast enough: 2,000-3,000 fetches of a 100-record answer
 * took the same time with `--liftoff-only`, with a peak RSS 4-11 MB lower
 * (4 with the young generation capped); the 10k burst peaked 6 MB lower.
 */
function keepWebAssemblyOnBaseline() {
  v8.setFlagsFromString('--liftoff-only');
}

/**
 * Applies the three: the two heap limits from the environment,
 * `REELAY_HEAP_GROWTH_PERCENT` (default 20) and `REELAY_YOUNG_GENERATION_MB`
 * (default 4), where `0` keeps V8's own choice. Throws a `HeapSettingError`
 * naming a malformed one.
 */
export function tuneHeap(env) {
  const growth = wholeNumber(env, 'REELAY_HEAP_GROWTH_PERCENT', 20);
  const youngMb = wholeNumber(env, 'REELAY_YOUNG_GENERATION_MB', 4);
  limitHeapGrowth(growth);
  keepWebAssemblyOnBaseline();
  capYoungGeneration(youngMb);
}

export class HeapSettingError extends Error {}

function wholeNumber(env, name, fallback) {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  if (!/^\d{1,4}$/.test(value)) throw new HeapSettingError(`${name} must be a whole number (0 keeps V8's own choice), not ${JSON.stringify(value)}`);
  return Number(value);
}
