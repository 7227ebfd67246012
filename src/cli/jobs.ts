/** `reelay jobs`, `reelay job ID`, `reelay retry`, `reelay cancel`, `reelay approve`, `reelay reject`: renders from the shell. */
import { parseArgs } from 'node:util';
import { loadEnv } from '../config/env.js';
import { loadConfig } from '../config/load.js';
import { configSchema, type ReelayConfig } from '../config/schema.js';
import { systemClock } from '../core/clock.js';
import { isRenderState } from '../core/states.js';
import { withMigratedDatabase, type Store } from '../app/database.js';
import { listRendersWithCounts } from '../app/list-renders.js';
import { approveRender, cancelOne, rejectRender, retryAllFailed, retryOne } from '../app/render-actions.js';
import { showRender } from '../app/show-render.js';
import { UsageError } from './common.js';

function withStore<T>(fn: (store: Store) => Promise<T>): Promise<T> {
  return withMigratedDatabase(loadEnv(process.env, {}).databaseUrl, fn);
}

const time = (ms: number | null) => (ms === null ? '' : new Date(ms).toISOString().replace('T', ' ').slice(0, 19));

export async function jobs(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { state: { type: 'string' }, campaign: { type: 'string' }, object: { type: 'string' }, 'object-id': { type: 'string' }, limit: { type: 'string' } },
  });
  if (values.state !== undefined && !isRenderState(values.state)) throw new UsageError(`unknown state ${values.state}`);
  const filter = {
    ...(values.state ? { state: values.state as never } : {}),
    ...(values.campaign ? { campaignId: values.campaign } : {}),
    ...(values.object ? { objectType: values.object } : {}),
    ...(values['object-id'] ? { objectId: values['object-id'] } : {}),
    limit: Number(values.limit ?? 50),
  };
  await withStore(async (store) => {
    const { renders: rows, counts } = await listRendersWithCounts(store, filter);
    const out = [['ID', 'STATE', 'CAMPAIGN', 'OBJECT', 'VIDEO', 'UPDATED', 'NOTE'].join('\t')];
    for (const r of rows) {
      out.push([r.id, r.state, r.campaign_id, `${r.object_type}/${r.object_id}`, r.video_id ?? '-', time(r.updated_at), r.error_message ?? ''].join('\t'));
    }
    out.push('', Object.entries(counts).map(([s, n]) => `${s}: ${n}`).join('  ') || 'no renders');
    process.stdout.write(`${out.join('\n')}\n`);
  });
}

export async function job(argv: string[]): Promise<void> {
  const id = Number(argv[0]);
  if (!Number.isInteger(id)) throw new UsageError('usage: reelay job ID');
  await withStore(async (store) => {
    const detail = await showRender(store, id);
    if (!detail) throw new UsageError(`no render ${id}`);
    const { render, timeline, variant } = detail;
    const lines = Object.entries(render).map(([k, v]) => `${k.padEnd(22)} ${v ?? ''}`);
    lines.push(`${'variant'.padEnd(22)} ${variant ?? (render.plan === null ? '' : '(campaign template)')}`);
    lines.push('', 'timeline:');
    for (const t of timeline) lines.push(`  ${time(t.at)}  ${(t.from_state ?? '').padEnd(10)} -> ${t.to_state.padEnd(10)} ${t.note}`);
    process.stdout.write(`${lines.join('\n')}\n`);
  });
}

export async function retry(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { failed: { type: 'boolean' }, campaign: { type: 'string' } } });
  await withStore(async (store) => {
    if (values.failed) {
      const result = await retryAllFailed({ store, clock: systemClock, config: configForRetry() }, values.campaign);
      process.stdout.write(`re-queued ${result.retried} failed render(s)${result.refused ? `, ${result.refused} changed meanwhile` : ''}\n`);
      return;
    }
    const id = Number(positionals[0]);
    if (!Number.isInteger(id)) throw new UsageError('usage: reelay retry ID | --failed [--campaign C]');
    const result = await retryOne({ store, clock: systemClock, config: configForRetry() }, id);
    if (!result.ok) throw new UsageError(result.reason);
    process.stdout.write(`render ${id} re-queued\n`);
  });
}

/** A retry writes nothing to the CRM: it works without a readable configuration too. */
function configForRetry(): ReelayConfig {
  try {
    return loadConfig(loadEnv(process.env, {}).configPath, process.env);
  } catch {
    return configSchema.parse({});
  }
}

export async function cancel(argv: string[]): Promise<void> {
  const id = Number(argv[0]);
  if (!Number.isInteger(id)) throw new UsageError('usage: reelay cancel ID');
  await withStore(async (store) => {
    const config = loadConfig(loadEnv(process.env, {}).configPath, process.env);
    const result = await cancelOne({ store, clock: systemClock, config }, id);
    if (!result.ok) throw new UsageError(result.reason);
    process.stdout.write(`render ${id} cancelled\n`);
  });
}

/** `reelay approve ID`: a render awaiting review goes to the CRM. */
export async function approve(argv: string[]): Promise<void> {
  const { positionals } = parseArgs({ args: argv, allowPositionals: true, options: {} });
  const id = Number(positionals[0]);
  if (positionals.length !== 1 || !Number.isInteger(id)) throw new UsageError('usage: reelay approve ID');
  await withStore(async (store) => {
    const config = loadConfig(loadEnv(process.env, {}).configPath, process.env);
    const result = await approveRender({ store, clock: systemClock, config }, id);
    if (!result.ok) throw new UsageError(result.reason);
    process.stdout.write(`render ${id} approved: its video goes to the CRM\n`);
  });
}

/** `reelay reject ID --reason R`: a render awaiting review fails with `rejected: R`. */
export async function reject(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { reason: { type: 'string' } } });
  const id = Number(positionals[0]);
  if (positionals.length !== 1 || !Number.isInteger(id)) throw new UsageError('usage: reelay reject ID --reason R');
  if (values.reason === undefined || values.reason.trim() === '') throw new UsageError('reelay reject needs --reason R: why the video is rejected');
  const reason = values.reason;
  await withStore(async (store) => {
    const config = loadConfig(loadEnv(process.env, {}).configPath, process.env);
    const result = await rejectRender({ store, clock: systemClock, config }, id, reason);
    if (!result.ok) throw new UsageError(result.reason);
    process.stdout.write(`render ${id} rejected: ${reason.trim()}\n`);
  });
}
