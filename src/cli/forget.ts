/** `reelay forget --object T --id N`: erase a person's data from Reelay's store, and their videos at HeyGen. */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { parseArgs } from 'node:util';
import { withMigratedDatabase } from '../app/database.js';
import { describeErasure, forgetPerson, parseForgetRequest, type ForgetOutcome } from '../app/forget.js';
import { loadEnv } from '../config/env.js';
import { loadConfig } from '../config/load.js';
import { systemClock } from '../core/clock.js';
import { createHeyGenClient } from '../heygen/client.js';
import { UsageError } from './common.js';

const USAGE = 'usage: reelay forget --object contacts|deals|companies|tickets --id N';

export async function run(argv: string[]): Promise<void> {
  let values: { object?: string | undefined; id?: string | undefined };
  try {
    ({ values } = parseArgs({ args: argv, options: { object: { type: 'string' }, id: { type: 'string' } } }));
  } catch (err) {
    throw new UsageError(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
  }
  // Checked before the database is opened: a bad request changes nothing.
  const request = parseForgetRequest(values.object, values.id);
  if (!request.ok) throw new UsageError(`${request.reason}\n${USAGE}`);
  const env = loadEnv(process.env, {});
  const config = loadConfig(env.configPath, process.env);
  const heygen =
    config.privacy.deleteVideos && env.heygenApiKey !== undefined
      ? {
          heygen: createHeyGenClient({ api: config.heygen.api, baseUrl: env.heygenApiBase, apiKey: env.heygenApiKey, timeoutMs: config.heygen.requestTimeout }),
          random: Math.random,
          workerId: `forget:${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
        }
      : undefined;
  const { target } = request;
  const outcome = await withMigratedDatabase(env.databaseUrl, (store) => forgetPerson({ store, clock: systemClock, config }, target, heygen));
  process.stdout.write(report(`${target.objectType}/${target.objectId}`, outcome, { deleteVideos: config.privacy.deleteVideos, heygenKey: heygen !== undefined }));
}

function report(record: string, outcome: ForgetOutcome, opts: { deleteVideos: boolean; heygenKey: boolean }): string {
  const { counts, heygen, pendingDeletions } = outcome;
  const nothing = Object.values(counts).every((n) => n === 0);
  const lines = [nothing ? `forgot ${record}: nothing stored about it (already forgotten, or never seen)` : `forgot ${record}:`];
  if (!nothing) lines.push(...describeErasure(counts).map((l) => `  ${l}`));
  if (!opts.deleteVideos) lines.push('HeyGen: videos are kept there (privacy.deleteVideos: false)');
  else if (heygen === null) {
    if (pendingDeletions.pending > 0) lines.push(`HeyGen: ${pendingDeletions.pending} video deletion(s) queued; reelay serve deletes them (HEYGEN_API_KEY is not set here)`);
  } else {
    if (heygen.deleted > 0) lines.push(`HeyGen: ${heygen.deleted} video(s) deleted`);
    if (heygen.retrying > 0) lines.push(`HeyGen: ${heygen.retrying} video deletion(s) failed and will be retried by reelay serve: ${heygen.errors.join('; ')}`);
  }
  if (pendingDeletions.failed > 0) {
    lines.push(`HeyGen: ${pendingDeletions.failed} video deletion(s) given up; delete them in HeyGen by hand (last error: ${pendingDeletions.lastError ?? 'unknown'})`);
  }
  return `${lines.join('\n')}\n`;
}
