/**
 * The long chaos run: `npm run chaos -- --minutes N --seed S [--database postgres] [--api v2] [--keep]`.
 * Makes new waves of records for N minutes while `serve` is SIGKILLed and
 * restarted and faults rain down, then settles, verifies, fires every
 * trigger again and verifies that nothing new was billed. Prints progress
 * and the tallies; exits 1 when anything was lost or paid twice.
 */
import { parseArgs } from 'node:util';
import { runChaos } from './run-chaos.js';
import { formatTallies } from './tallies.js';

function usage(message: string): never {
  process.stderr.write(`chaos: ${message}\nusage: npm run chaos -- --minutes N --seed S [--database sqlite|postgres] [--api v3|v2] [--keep]\n`);
  process.exit(2);
}

function positive(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) usage(`--${name} must be a positive number, got ${JSON.stringify(value)}`);
  return n;
}

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: { minutes: { type: 'string' }, seed: { type: 'string' }, database: { type: 'string', default: 'sqlite' },
    api: { type: 'string', default: 'v3' }, keep: { type: 'boolean', default: false } },
});
const database = values.database;
if (database !== 'sqlite' && database !== 'postgres') usage(`--database must be sqlite or postgres, got ${JSON.stringify(database)}`);
const heygenApi = values.api;
if (heygenApi !== 'v3' && heygenApi !== 'v2') usage(`--api must be v3 or v2, got ${JSON.stringify(heygenApi)}`);
const minutes = positive(values.minutes, 'minutes', 5);
const seed = Math.floor(positive(values.seed, 'seed', Date.now() % 1_000_000));

const result = await runChaos({
  seed,
  database,
  heygenApi,
  waves: 0,
  durationMs: minutes * 60_000,
  // Gentler than the CI run per minute (about 3 records a second), so the backlog stays bounded however long it runs.
  waveSize: { leads: 6, deals: 3, renewals: 3 },
  waveEveryMs: { min: 3_000, max: 6_000 },
  minKills: 5,
  secondPassKills: 2,
  killEveryMs: { min: 3_000, max: 10_000 },
  settleTimeoutMs: 10 * 60_000,
  keepFiles: values.keep,
  progress: (line) => process.stdout.write(`${line}\n`),
});

process.stdout.write(`\n${formatTallies(result.tallies)}\n`);
if (result.dir) process.stdout.write(`files kept in ${result.dir}\n`);
if (result.problems.length > 0) {
  process.stdout.write(`\n${result.problems.length} problem lines:\n${result.problems.join('\n')}\n`);
  process.exit(1);
}
process.stdout.write('\nnothing lost, nothing paid twice\n');
