/**
 * The dashboard's sign-in sessions. The cookie carries a random value; the
 * store keeps only its SHA-256, with the session's CSRF token (a
 * synchronizer token every form carries) and its expiry. Signing out deletes
 * the row, so an old cookie signs no one in again.
 */
import { createHash, randomBytes } from 'node:crypto';
import { sameSecret } from '../core/same-secret.js';
import type { Store } from '../store/db.js';
import { deleteDashboardSession, findDashboardSession, insertDashboardSession } from '../store/dashboard-sessions.js';

/** How long a sign-in lasts. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

export interface DashboardSession {
  csrfToken: string;
  expiresAt: number;
}

export type RandomToken = () => string;

/** 32 random bytes, URL-safe. */
export const randomToken: RandomToken = () => randomBytes(32).toString('base64url');

function sessionId(cookieValue: string): string {
  return createHash('sha256').update(cookieValue, 'utf8').digest('hex');
}

/** A new session; the caller sets `cookieValue` as the session cookie. */
export async function openSession(
  store: Store,
  now: number,
  opts: { ttlMs?: number; random?: RandomToken } = {},
): Promise<{ cookieValue: string; session: DashboardSession }> {
  const random = opts.random ?? randomToken;
  const cookieValue = random();
  const session = { csrfToken: random(), expiresAt: now + (opts.ttlMs ?? SESSION_TTL_MS) };
  await insertDashboardSession(store, { id: sessionId(cookieValue), csrf_token: session.csrfToken, created_at: now, expires_at: session.expiresAt });
  return { cookieValue, session };
}

/** The live session a cookie names; undefined when there is none, it expired or was closed. */
export async function findSession(store: Store, cookieValue: string | undefined, now: number): Promise<DashboardSession | undefined> {
  if (cookieValue === undefined || cookieValue === '' || cookieValue.length > 200) return undefined;
  const row = await findDashboardSession(store, sessionId(cookieValue), now);
  return row ? { csrfToken: row.csrf_token, expiresAt: Number(row.expires_at) } : undefined;
}

/** Ends the session (and clears out every expired one). */
export async function closeSession(store: Store, cookieValue: string, now: number): Promise<void> {
  await deleteDashboardSession(store, sessionId(cookieValue), now);
}

/** Whether a form's CSRF token is the session's own. */
export function csrfMatches(session: DashboardSession, given: string | undefined): boolean {
  return given !== undefined && sameSecret(given, session.csrfToken);
}
