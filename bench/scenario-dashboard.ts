/**
 * Scenario 5, the dashboard at scale: `--renders` renders (default one
 * million) generated inside a fresh database, then `reelay serve --role web`
 * in a child process, signed in, each page loaded `PAGE_LOADS` times one
 * after another: the overview, the render list's first page, a deep page
 * (keyset, half-way down), a filtered list, a render's page. Target: p95 of
 * every page at most 200 ms.
 */
import { openStore } from '../src/store/db.js';
import { migrate } from '../src/store/migrate.js';
import { sandboxServiceEnv } from '../src/sandbox/service-env.js';
import { startSandbox } from '../src/sandbox/index.js';
import { createTestDatabase } from '../test/helpers/databases.js';
import { signIn } from '../test/helpers/dashboard.js';
import { freePort, testSecrets } from '../test/helpers/harness.js';
import { startChildService } from './child-service.js';
import { reproduceCommand, type BenchOptions } from './options.js';
import { atMost, fixed, printTable, progress, type Figure } from './report.js';
import { SEED_CAMPAIGNS, seedManyRenders } from './seed-renders.js';

const PAGE_LOADS = 40;
const TARGET_MS = 200;

function config(): string {
  const campaigns = Array.from(
    { length: SEED_CAMPAIGNS },
    (_, i) => `  - id: campaign-${i}
    object: contacts
    template: tpl_bench
    variables:
      first_name: { property: firstname, required: true }`,
  );
  return `campaigns:\n${campaigns.join('\n')}\n`;
}

export async function runDashboard(o: BenchOptions): Promise<void> {
  const secrets = testSecrets();
  const database = await createTestDatabase(o.dialect);
  const sandbox = await startSandbox({ secrets, seed: o.seed });
  const figures: Figure[] = [];
  let seedSeconds = 0;
  try {
    const store = openStore(database.url);
    try {
      await migrate(store);
      progress(`dashboard: seeding ${fixed(o.renders)} renders in ${o.dialect}`);
      const started = performance.now();
      await seedManyRenders(store, o.renders, Date.now());
      seedSeconds = (performance.now() - started) / 1000;
    } finally {
      await store.close();
    }
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const env = sandboxServiceEnv(sandbox, secrets, { port, databaseUrl: database.url, logLevel: 'error', adminToken: secrets.adminToken });
    const reelay = await startChildService({ config: config(), env, url, args: ['serve', '--role', 'web'] });
    try {
      const client = await signIn(url, secrets.adminToken);
      const middle = Math.floor(o.renders / 2);
      const pages: [string, string][] = [
        ['overview', '/dashboard'],
        ['render list, first page', '/dashboard/renders'],
        [`render list, deep page (before #${middle})`, `/dashboard/renders?before=${middle}`],
        ['render list, campaign + state filter', '/dashboard/renders?campaign=campaign-3&state=failed'],
        ['render list, object type + time range', `/dashboard/renders?object=deals&from=${new Date(Date.now() - 50 * 86_400_000).toISOString().slice(0, 10)}`],
        ['render page', `/dashboard/renders/${middle}`],
      ];
      for (const [name, path] of pages) {
        const times: number[] = [];
        for (let i = 0; i < PAGE_LOADS; i += 1) {
          const t = performance.now();
          const answer = await client.get(path);
          await answer.text();
          times.push(performance.now() - t);
          if (answer.status !== 200) throw new Error(`${path} answered ${answer.status}`);
        }
        times.sort((a, b) => a - b);
        const p95 = times[Math.min(times.length - 1, Math.ceil(0.95 * times.length) - 1)] as number;
        figures.push({ name: `${name}: p50 | p95 ms`, value: `${fixed(times[Math.floor(times.length / 2)] as number, 1)} | ${fixed(p95, 1)}`, target: `p95 <= ${TARGET_MS}`, verdict: atMost(p95, TARGET_MS) });
      }
    } finally {
      await reelay.stop();
    }
  } finally {
    await sandbox.close();
    await database.drop();
  }
  printTable('Scenario 5: dashboard pages at scale', {
    notes: [
      `${fixed(o.renders)} renders in ${o.dialect} (5 campaigns, 100 days, 5% failed, 5% skipped), seeded in ${fixed(seedSeconds, 1)} s inside the database.`,
      `Reelay: \`reelay serve --role web\` in a child process, signed in; each page loaded ${PAGE_LOADS} times, one after another.`,
    ],
    figures,
    command: reproduceCommand('dashboard', o),
  });
}
