/**
 * Seeded randomness for the sandbox. Two kinds:
 *
 * - `stream(purpose)`: one sequence per purpose, consumed in arrival order
 *   (per-request faults, ids);
 * - `keyed(purpose, key)`: a fresh sequence derived from a key such as a video
 *   id, so the fate of a render or a callback does not depend on the order in
 *   which timers happen to fire. The chaos suite stays reproducible under
 *   concurrency.
 */
import { seededRandom, type Random } from '../../core/clock.js';

/** FNV-1a, 32 bit: a fast, well-spread hash for deriving sub-seeds. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export class Entropy {
  constructor(private readonly seed: number) {}

  stream(purpose: string): Random {
    return seededRandom(hash32(`${this.seed}:${purpose}`));
  }

  keyed(purpose: string, key: string): Random {
    return seededRandom(hash32(`${this.seed}:${purpose}:${key}`));
  }
}

/** `length` lowercase hex characters drawn from `random`. */
export function randomHex(random: Random, length: number): string {
  let out = '';
  while (out.length < length) {
    out += Math.floor(random() * 0x1_0000_0000)
      .toString(16)
      .padStart(8, '0');
  }
  return out.slice(0, length);
}

export interface Range {
  min: number;
  max: number;
}

/** The point at fraction `u` (in [0, 1)) of `range`, rounded to a whole number. */
export function rangeAt(u: number, range: Range): number {
  return Math.round(range.min + u * (range.max - range.min));
}

/** A whole number uniform in [min, max]. */
export function pickInRange(random: Random, range: Range): number {
  return rangeAt(random(), range);
}

/** Fisher-Yates, in place. */
export function shuffle<T>(items: T[], random: Random): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const a = items[i] as T;
    items[i] = items[j] as T;
    items[j] = a;
  }
  return items;
}
