/** Reading paging parameters from a query string. */
import { invalidParameter } from '../api-error.js';

export interface PageQuery {
  limit?: string;
  token?: string;
}

export function readLimit(raw: string | undefined, fallback: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) throw invalidParameter(`limit must be a whole number from 1 to ${max}`);
  return n;
}

export function badToken(): never {
  throw invalidParameter('token is not a valid pagination token');
}
