/** `Authorization: Bearer <token>`, compared in constant time. */
import { timingSafeEqual } from 'node:crypto';

export function hasBearer(authorization: string | undefined, token: string): boolean {
  const given = Buffer.from(authorization ?? '');
  const expected = Buffer.from(`Bearer ${token}`);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
