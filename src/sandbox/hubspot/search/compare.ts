/**
 * Value comparison for search: numeric when both sides are numbers, by time
 * when both are dates (ISO or epoch ms), otherwise case-insensitive text.
 */
import { toEpochMs } from '../crm/property-values.js';

type Comparable = { kind: 'number'; n: number } | { kind: 'date'; n: number } | { kind: 'text'; s: string };

const numberPattern = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

function comparable(raw: string): Comparable {
  const trimmed = raw.trim();
  if (numberPattern.test(trimmed)) return { kind: 'number', n: Number(trimmed) };
  const ms = toEpochMs(trimmed);
  if (ms !== undefined) return { kind: 'date', n: ms };
  return { kind: 'text', s: raw.toLowerCase() };
}

/** Negative, zero or positive, like a sort comparator. */
export function compareValues(a: string, b: string): number {
  const x = comparable(a);
  const y = comparable(b);
  if (x.kind !== 'text' && y.kind !== 'text') return x.n - y.n;
  const s = x.kind === 'text' ? x.s : a.toLowerCase();
  const t = y.kind === 'text' ? y.s : b.toLowerCase();
  return s < t ? -1 : s > t ? 1 : 0;
}

export function valuesEqual(a: string, b: string): boolean {
  return compareValues(a, b) === 0;
}

/**
 * HubSpot tokenises text for CONTAINS_TOKEN; `*` is a wildcard over the
 * whole value (`*@acme.com`). A token with punctuation matches as a substring.
 */
export function containsToken(value: string, token: string): boolean {
  const v = value.toLowerCase();
  const t = token.toLowerCase().trim();
  if (t.includes('*')) {
    const pattern = t
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*');
    return new RegExp(`^${pattern}$`).test(v);
  }
  if (/[^a-z0-9]/.test(t)) return v.includes(t);
  return v.split(/[^a-z0-9]+/).includes(t);
}
