import type { ReelayConfig } from '../config/schema.js';
import type { Clock } from '../core/clock.js';
import type { Store } from '../store/db.js';
import { HubSpotBudget } from './hubspot-budget.js';
import { PacedWindow } from './paced-window.js';
import { RollingWindowLimiter } from './rolling-window.js';
import { SharedRollingWindow } from './shared-rolling-window.js';

/** In memory for SQLite (one process); in PostgreSQL, shared by every instance. Either way each process paces its own calls (`paced-window.ts`). */
export function createBudget(store: Store, config: ReelayConfig, clock: Clock): HubSpotBudget {
  const { burst, daily, searchPerSecond, requestTimeout } = config.hubspot;
  if (store.dialect === 'postgres') {
    const stale = requestTimeout + 10_000;
    return new HubSpotBudget(
      new PacedWindow(new SharedRollingWindow(store, 'hubspot-api', burst, 10_000, clock, stale), burst, clock),
      new PacedWindow(new SharedRollingWindow(store, 'hubspot-search', searchPerSecond, 1_000, clock, stale), searchPerSecond, clock),
      clock,
      daily,
    );
  }
  return inMemoryBudget(config, clock);
}

/** The budget of one process: what a command that has no store (setup, doctor, dry runs) spends. */
export function inMemoryBudget(config: ReelayConfig, clock: Clock): HubSpotBudget {
  const { burst, daily, searchPerSecond } = config.hubspot;
  return new HubSpotBudget(
    new PacedWindow(new RollingWindowLimiter(burst, 10_000, clock), burst, clock),
    new PacedWindow(new RollingWindowLimiter(searchPerSecond, 1_000, clock), searchPerSecond, clock),
    clock,
    daily,
  );
}
