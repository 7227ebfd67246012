/**
 * Pieces both inbound signature checks (HubSpot's and HeyGen's) share:
 * header lookup, constant-time comparison, and the wording of the
 * timestamp window.
 */
import { timingSafeEqual } from 'node:crypto';

/** Headers as Node gives them: lower-case names, repeated ones as arrays. */
export type InboundHeaders = Record<string, string | string[] | undefined>;

/** Case-insensitive header lookup; of repeated headers the first is used. */
export function readHeader(headers: InboundHeaders, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name || value === undefined) continue;
    return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}

/**
 * Equal strings, compared in constant time; different lengths are simply
 * unequal. Compared as UTF-16 code units, which is lossless: UTF-8 turns every
 * lone surrogate into the same U+FFFD and would call different strings equal.
 */
export function constantTimeEqual(expected: string, received: string): boolean {
  const a = Buffer.from(expected, 'utf16le');
  const b = Buffer.from(received, 'utf16le');
  return a.length === b.length && timingSafeEqual(a, b);
}

export function describeWindow(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000}-minute` : `${ms} ms`;
}
