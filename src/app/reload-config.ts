/**
 * Configuration reload (`SIGHUP` to `reelay serve`, `POST /api/config/reload`):
 * the file at `REELAY_CONFIG` is read and checked again. A valid file
 * replaces the running configuration's reloadable sections for new work
 * (`config/config-diff.ts`), by swapping `ctx.config` for a new object in one
 * assignment, so every reader sees either the old or the new configuration,
 * never a mix. An invalid file is refused with one line naming the file and
 * the problem, and the running configuration stays.
 */
import { diffConfig } from '../config/config-diff.js';
import { InvalidConfigError, loadConfig } from '../config/load.js';
import type { ReelayConfig } from '../config/schema.js';
import type { EngineContext } from '../engine/context.js';

export type ReloadOutcome = { ok: true; changes: string[]; restartNeeded: string[] } | { ok: false; error: string };

type ReloadContext = Pick<EngineContext, 'config' | 'log' | 'wake'>;

export function reloadConfigFile(ctx: ReloadContext, path: string, env: NodeJS.ProcessEnv): ReloadOutcome {
  let next: ReelayConfig;
  try {
    next = loadConfig(path, env);
  } catch (err) {
    const error = oneLine(err);
    ctx.log.error(`configuration reload refused (the running configuration stays): ${error}`);
    return { ok: false, error };
  }
  return applyConfig(ctx, next, path);
}

/** Swaps in the reloadable part of `next` and logs what changed. */
export function applyConfig(ctx: ReloadContext, next: ReelayConfig, source: string): ReloadOutcome {
  const { config, changes, restartNeeded } = diffConfig(ctx.config, next);
  ctx.config = config;
  ctx.log.info({ changes, restartNeeded }, `configuration reloaded from ${source}: ${changes.length === 0 ? 'no change' : changes.join('; ')}`);
  if (restartNeeded.length > 0) {
    ctx.log.warn({ restartNeeded }, `configuration changes that take effect only after a restart (the running values stay): ${restartNeeded.join(', ')}`);
  }
  // A raised cap or a new campaign: let the stages look at once.
  ctx.wake('enrich');
  ctx.wake('submit');
  return { ok: true, changes, restartNeeded };
}

function oneLine(err: unknown): string {
  if (err instanceof InvalidConfigError) {
    if (err.issues.length <= 1) return err.message;
    const headline = (err.message.split('\n')[0] ?? '').replace(/:$/, '');
    return `${headline}: ${err.issues.map((i) => `${i.where}: ${i.message}`).join('; ')}`;
  }
  return (err instanceof Error ? err.message : String(err)).replace(/\s*\n\s*/g, '; ');
}
