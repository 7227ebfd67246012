/**
 * The database: reachable and migrated (the doctor never migrates: it only
 * looks), and whether a provider's queue is paused, with the reason the
 * engine recorded (`src/engine/pauses.ts`).
 */
import { existsSync } from 'node:fs';
import { secretValues, type ReelayEnv } from '../config/env.js';
import type { ReelayConfig } from '../config/schema.js';
import type { Provider } from '../core/errors.js';
import type { PauseInfo } from '../engine/pauses.js';
import { createRedactor } from '../http-client/redact.js';
import { openStore, type Store } from '../store/db.js';
import { getMeta } from '../store/meta.js';
import { isMigrated } from '../store/migrate.js';
import { ping } from '../store/ping.js';
import { checkBudgets } from './budget-checks.js';
import { fail, pass, type CheckOutcome } from './outcome.js';

const QUEUES: { scope: Provider; label: string; causes: string }[] = [
  { scope: 'hubspot', label: 'HubSpot', causes: 'the token or its scopes' },
  { scope: 'heygen', label: 'HeyGen', causes: 'the API key or the account credit' },
];

/** With `budgets`, also today's credit budget use (`budget-checks.ts`). */
export async function checkDatabase(env: ReelayEnv, budgets?: { config: ReelayConfig; now: number }): Promise<CheckOutcome[]> {
  const target = env.database;
  // Opening a SQLite file that is not there would create an empty one.
  if (target.dialect === 'sqlite' && target.path !== ':memory:' && !existsSync(target.path)) {
    return [fail(`database sqlite:${target.path} does not exist`, 'run `reelay migrate` to create it (`reelay serve` does too), or fix DATABASE_URL')];
  }
  const redact = createRedactor(secretValues(env));
  let store: Store | undefined;
  try {
    store = openStore(env.databaseUrl, { poolSize: 1 });
    try {
      await ping(store);
    } catch (err) {
      return [fail(`database ${store.describe} is unreachable: ${redact(err instanceof Error ? err.message : String(err))}`, 'check DATABASE_URL and that the database server is running')];
    }
    if (!(await isMigrated(store))) {
      return [fail(`database ${store.describe} is not migrated`, 'run `reelay migrate` (`reelay serve` also migrates at start)')];
    }
    return [
      pass(`database ${store.describe} is reachable and migrated`),
      ...(await checkQueues(store)),
      ...(budgets === undefined ? [] : await checkBudgets(store, budgets.config, budgets.now)),
    ];
  } finally {
    await store?.close();
  }
}

async function checkQueues(store: Store): Promise<CheckOutcome[]> {
  const outcomes: CheckOutcome[] = [];
  for (const { scope, label, causes } of QUEUES) {
    const raw = await getMeta(store, `pause:${scope}`);
    if (raw === undefined) {
      outcomes.push(pass(`${label} queue is running`));
      continue;
    }
    const pause = JSON.parse(raw) as PauseInfo;
    outcomes.push(
      fail(
        `${label} queue is paused since ${new Date(pause.since).toISOString()}: ${pause.reason} (${pause.code})`,
        `fix the cause (usually ${causes}); the queue resumes by itself once a probe render gets through`,
      ),
    );
  }
  return outcomes;
}
