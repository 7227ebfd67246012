/** Renders per UTC day since a time: triggered (created), completed and failed (finished). */
import { sql } from 'kysely';
import type { Store } from './db.js';

export const DAY_MS = 86_400_000;

export interface DayCounts {
  /** Days since the epoch (UTC). */
  day: number;
  triggered: number;
  completed: number;
  failed: number;
}

/** Days with no render are absent; the caller fills the gaps. */
export async function rendersPerDay(store: Store, since: number): Promise<DayCounts[]> {
  const { db } = store;
  const createdDay = sql<number>`created_at / ${sql.lit(DAY_MS)}`;
  const finishedDay = sql<number>`finished_at / ${sql.lit(DAY_MS)}`;
  const triggered = await db
    .selectFrom('renders')
    .select([createdDay.as('day'), (eb) => eb.fn.countAll<number>().as('n')])
    .where('created_at', '>=', since)
    .where('state', '!=', 'expanded')
    .groupBy(createdDay)
    .execute();
  const finished = await db
    .selectFrom('renders')
    .select(['state', finishedDay.as('day'), (eb) => eb.fn.countAll<number>().as('n')])
    .where('state', 'in', ['completed', 'failed'])
    .where('finished_at', '>=', since)
    .groupBy(['state', finishedDay])
    .execute();
  const days = new Map<number, DayCounts>();
  const at = (day: number): DayCounts => {
    let row = days.get(day);
    if (!row) {
      row = { day, triggered: 0, completed: 0, failed: 0 };
      days.set(day, row);
    }
    return row;
  };
  for (const r of triggered) at(Number(r.day)).triggered = Number(r.n);
  for (const r of finished) at(Number(r.day))[r.state === 'completed' ? 'completed' : 'failed'] = Number(r.n);
  return [...days.values()].sort((a, b) => a.day - b.day);
}
