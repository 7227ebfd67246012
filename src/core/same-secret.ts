/**
 * Whether a secret someone gave equals the one we hold, in constant time
 * whatever their lengths: both are hashed first, so neither the content nor
 * the length of the expected secret leaks through timing.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b) && given.length === expected.length;
}
