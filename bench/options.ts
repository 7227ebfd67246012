/**
 * The benchmark's flags, their defaults, and the command line that
 * reproduces a run (printed under every table).
 */
import { parseArgs } from 'node:util';

export const scenarioNames = ['burst', 'intake', 'lone', 'links', 'intake-during-burst', 'dashboard'] as const;
export type ScenarioName = (typeof scenarioNames)[number];

export interface BenchOptions {
  scenarios: ScenarioName[];
  /** Scenario 1: contacts qualified at once. */
  contacts: number;
  /** Scenario 1: the simulated HeyGen plan's renders at once (Reelay's `heygen.concurrency` is set equal). */
  concurrency: number;
  /** Scenario 1: the simulated HeyGen render time, fixed. */
  renderMs: number;
  /** Scenario 2: seconds per load-generator run; scenario 4: seconds of page views and events. */
  seconds: number;
  /** Scenario 3: lone triggers measured one after another. */
  trials: number;
  /** Scenario 4: clicks on one stable link. */
  clicks: number;
  /** Scenario 5: renders seeded for the dashboard. */
  renders: number;
  dialect: 'sqlite' | 'postgres';
  instances: number;
  seed: number;
  /**
   * Intake, burst, intake-during-burst: how Reelay runs. all = one `serve`
   * (intake and workers, the default deployment); web = intake alone;
   * split = `serve --role web` and `serve --role worker`, two processes on
   * one database.
   */
  intakeRole: 'all' | 'web' | 'split';
  /** Write a V8 CPU profile of each Reelay process into this directory. */
  cpuProfDir?: string;
}

export class BenchUsageError extends Error {}

export const HELP = `npm run bench -- [flags]

  --scenario burst|intake|lone|links|intake-during-burst|dashboard|all   which scenario (default all)
  --contacts N       burst, intake-during-burst: contacts qualified at once (default 10000)
  --concurrency N    burst: HeyGen renders at once, sandbox plan = Reelay's heygen.concurrency (default 50)
  --render-ms N      burst: fixed HeyGen render time in ms (default 1000)
  --seconds N        intake, intake-during-burst: seconds per load run; links: seconds of page views and events (default 20)
  --role all|web|split  intake, burst, intake-during-burst: how Reelay runs (default all: one serve, intake and workers;
                     web: intake alone; split: serve --role web and serve --role worker, two processes on one database)
  --trials N         lone: lone triggers measured (default 30)
  --clicks N         links: clicks on one stable link (default 1000)
  --renders N        dashboard: renders seeded before its pages are timed (default 1000000)
  --dialect sqlite|postgres          database (default sqlite; postgres uses 127.0.0.1:5432 or REELAY_TEST_PG_URL)
  --instances N      burst: Reelay processes on one database (more than 1 needs --dialect postgres)
  --seed S           seeds contacts, event ids and the sandbox (default 1)
  --cpu-prof DIR     write a CPU profile of each Reelay process to DIR (open in Chrome DevTools)
`;

function positiveInt(raw: string | undefined, name: string, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new BenchUsageError(`--${name} must be a whole number >= 1 (got ${raw})`);
  return n;
}

export function parseBenchArgs(argv: string[]): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      scenario: { type: 'string', default: 'all' },
      contacts: { type: 'string' },
      concurrency: { type: 'string' },
      'render-ms': { type: 'string' },
      seconds: { type: 'string' },
      trials: { type: 'string' },
      clicks: { type: 'string' },
      renders: { type: 'string' },
      dialect: { type: 'string', default: 'sqlite' },
      instances: { type: 'string' },
      seed: { type: 'string' },
      role: { type: 'string', default: 'all' },
      'cpu-prof': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  const scenario = values.scenario as string;
  if (scenario !== 'all' && !(scenarioNames as readonly string[]).includes(scenario)) {
    throw new BenchUsageError(`--scenario must be ${scenarioNames.join(', ')} or all (got ${scenario})`);
  }
  const dialect = values.dialect as string;
  if (dialect !== 'sqlite' && dialect !== 'postgres') throw new BenchUsageError(`--dialect must be sqlite or postgres (got ${dialect})`);
  const role = values.role as string;
  if (role !== 'all' && role !== 'web' && role !== 'split') throw new BenchUsageError(`--role must be all, web or split (got ${role})`);
  const instances = positiveInt(values.instances, 'instances', 1);
  if (instances > 1 && values.dialect !== 'postgres') throw new BenchUsageError('--instances above 1 needs --dialect postgres (SQLite has one process per file)');
  const seedRaw = values.seed;
  const seed = seedRaw === undefined ? 1 : Number(seedRaw);
  if (!Number.isInteger(seed) || seed < 0) throw new BenchUsageError(`--seed must be a whole number >= 0 (got ${seedRaw})`);
  return {
    scenarios: scenario === 'all' ? [...scenarioNames] : [scenario as ScenarioName],
    contacts: positiveInt(values.contacts, 'contacts', 10_000),
    concurrency: positiveInt(values.concurrency, 'concurrency', 50),
    renderMs: positiveInt(values['render-ms'], 'render-ms', 1_000),
    seconds: positiveInt(values.seconds, 'seconds', 20),
    trials: positiveInt(values.trials, 'trials', 30),
    clicks: positiveInt(values.clicks, 'clicks', 1_000),
    renders: positiveInt(values.renders, 'renders', 1_000_000),
    dialect,
    instances,
    seed,
    intakeRole: role,
    ...(values['cpu-prof'] === undefined ? {} : { cpuProfDir: values['cpu-prof'] }),
  };
}

/** The command that reruns one scenario with the same settings. */
export function reproduceCommand(scenario: ScenarioName, o: BenchOptions): string {
  const flags = [`--scenario ${scenario}`];
  if (scenario === 'burst') flags.push(`--contacts ${o.contacts}`, `--concurrency ${o.concurrency}`, `--render-ms ${o.renderMs}`, `--role ${o.intakeRole === 'split' ? 'split' : 'all'}`);
  if (scenario === 'intake') flags.push(`--seconds ${o.seconds}`, `--role ${o.intakeRole}`);
  if (scenario === 'intake-during-burst') flags.push(`--contacts ${o.contacts}`, `--concurrency ${o.concurrency}`, `--render-ms ${o.renderMs}`, `--seconds ${o.seconds}`, `--role ${o.intakeRole === 'split' ? 'split' : 'all'}`);
  if (scenario === 'lone') flags.push(`--trials ${o.trials}`);
  if (scenario === 'links') flags.push(`--clicks ${o.clicks}`, `--seconds ${o.seconds}`);
  if (scenario === 'dashboard') flags.push(`--renders ${o.renders}`);
  flags.push(`--dialect ${o.dialect}`, `--instances ${o.instances}`, `--seed ${o.seed}`);
  return `npm run bench -- ${flags.join(' ')}`;
}
