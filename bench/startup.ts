/**
 * `node bin/run-ts.mjs bench/startup.ts [--runs N] [--idle-ms MS] [--entry FILE]`: how long
 * `reelay serve` takes from spawn to a green `/readyz`, and its resident set
 * once idle, against the sandbox on a fresh SQLite file per run. Not a test:
 * it prints the median and range of each figure with the machine's load.
 * `--entry` runs another executable in place of `bin/reelay.mjs` (e.g. a copy
 * that loads the sources through tsx, to compare).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startSandbox } from '../src/sandbox/index.js';
import { sandboxServiceEnv } from '../src/sandbox/service-env.js';
import { createTestDatabase } from '../test/helpers/databases.js';
import { freePort, testSecrets } from '../test/helpers/harness.js';
import { startChildService } from './child-service.js';
import { loadLine, machineLine } from './report.js';
import { benchConfig } from './stack.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    'idle-ms': { type: 'string', default: '3000' },
    entry: { type: 'string', default: 'bin/reelay.mjs' },
  },
});
const runs = Number(values.runs);
const idleMs = Number(values['idle-ms']);

const secrets = testSecrets();
const readyMs: number[] = [];
const cpuMs: number[] = [];
const idleRss: number[] = [];

/** CPU time (user + system) the process has used, from /proc (Linux; clock ticks of 10 ms). */
function cpuTimeMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

for (let i = 0; i < runs; i += 1) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const database = await createTestDatabase('sqlite');
  const sandbox = await startSandbox({ secrets, seed: 1, hubspotTarget: `${url}/webhooks/hubspot`, heygenTarget: `${url}/webhooks/heygen` });
  try {
    const env = sandboxServiceEnv(sandbox, secrets, { port, databaseUrl: database.url, logLevel: 'error' });
    const started = performance.now();
    const service = await startChildService({ config: benchConfig({ heygenConcurrency: 5, hubspotBurst: 100 }), env, url, entry: values.entry });
    readyMs.push(performance.now() - started);
    cpuMs.push(cpuTimeMs(service.pid));
    await new Promise((r) => setTimeout(r, idleMs));
    idleRss.push(service.memory()?.rss ?? NaN);
    await service.stop();
  } finally {
    await sandbox.close();
    await database.drop();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const range = (xs: number[], f: (x: number) => string) => `${f(median(xs))} (${f(Math.min(...xs))}-${f(Math.max(...xs))})`;
process.stdout.write(
  [
    machineLine(),
    loadLine(),
    `${values.entry} serve, ${runs} runs, idle ${idleMs} ms before reading RSS`,
    `spawn → /readyz 200: ${range(readyMs, (x) => `${Math.round(x)} ms`)} (polled every 100 ms)`,
    `CPU time (user + sys) until ready: ${range(cpuMs, (x) => `${Math.round(x)} ms`)} (less sensitive to the load than wall time)`,
    `idle RSS of serve: ${range(idleRss, (x) => `${(x / 1024 / 1024).toFixed(1)} MB`)}`,
    '',
  ].join('\n'),
);
process.exit(0);
