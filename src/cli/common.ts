/** What every command shares: reading the environment and config, and failing with one clear line. */
import { ConfigError } from '../core/errors.js';
import { loadEnv, requireJournalClientId, type EnvNeeds, type LoadedEnv } from '../config/env.js';
import { loadConfig } from '../config/load.js';
import type { ReelayConfig } from '../config/schema.js';

export class UsageError extends Error {}

/** Exits with the message; configuration and usage problems are one line, without a stack. */
export function exitWithError(err: unknown): never {
  if (err instanceof ConfigError || err instanceof UsageError) {
    process.stderr.write(`reelay: ${err.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`reelay: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
}

export function loadRuntime<const N extends EnvNeeds>(needs: N): { env: LoadedEnv<N>; config: ReelayConfig } {
  const env = loadEnv(process.env, needs);
  const config = loadConfig(env.configPath, process.env);
  if (needs.hubspot === true) requireJournalClientId(env, config.hubspot.intake);
  return { env, config };
}

/** Stops cleanly on SIGTERM/SIGINT; a second signal exits at once. */
export function onShutdownSignal(stop: () => Promise<void>): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(130);
    stopping = true;
    process.stderr.write(`reelay: ${signal} received, stopping (finishing work in hand)\n`);
    stop().then(
      () => process.exit(0),
      (err: unknown) => exitWithError(err),
    );
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
}
