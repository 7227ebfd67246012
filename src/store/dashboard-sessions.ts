/** The dashboard's sign-in sessions: created at sign-in, read on every page, deleted at sign-out or expiry. */
import type { Store } from './db.js';
import type { DashboardSessionsTable } from './schema.js';

export type DashboardSessionRow = DashboardSessionsTable;

export async function insertDashboardSession(store: Store, row: DashboardSessionRow): Promise<void> {
  await store.db.insertInto('dashboard_sessions').values(row).execute();
}

/** The session with this id, unless it has expired. */
export function findDashboardSession(store: Store, id: string, now: number): Promise<DashboardSessionRow | undefined> {
  return store.db.selectFrom('dashboard_sessions').selectAll().where('id', '=', id).where('expires_at', '>', now).executeTakeFirst();
}

/** Ends one session, and with it every session that has expired by `now`. */
export async function deleteDashboardSession(store: Store, id: string, now: number): Promise<void> {
  await store.db
    .deleteFrom('dashboard_sessions')
    .where((eb) => eb.or([eb('id', '=', id), eb('expires_at', '<=', now)]))
    .execute();
}
