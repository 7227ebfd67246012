import { inFlightStates } from '../core/states.js';
import type { Store } from './db.js';

/**
 * Renders HeyGen may be working on for us: those being submitted and those
 * rendering that HeyGen has not yet reported finished. This is the HeyGen
 * concurrency window, read from the store so every instance sees the same.
 */
export async function countInFlight(store: Store): Promise<number> {
  const { db } = store;
  const row = await db
    .selectFrom('renders')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('state', 'in', [...inFlightStates])
    .where((eb) => eb.or([eb('heygen_status', 'is', null), eb('heygen_status', 'not in', ['completed', 'failed'])]))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
