/**
 * `npm run bench -- [flags]`: the throughput benchmark. Not a test: it
 * prints figures against the targets of the throughput issue, the machine
 * they were measured on, and the command that reproduces each table.
 */
import { BenchUsageError, HELP, parseBenchArgs, type BenchOptions, type ScenarioName } from './options.js';
import { loadLine, machineLine } from './report.js';
import { runBurst } from './scenario-burst.js';
import { runDashboard } from './scenario-dashboard.js';
import { runIntake } from './scenario-intake.js';
import { runIntakeDuringBurst } from './scenario-intake-during-burst.js';
import { runLinks } from './scenario-links.js';
import { runLone } from './scenario-lone.js';

const scenarios: Record<ScenarioName, (o: BenchOptions) => Promise<void>> = {
  burst: runBurst,
  intake: runIntake,
  lone: runLone,
  links: runLinks,
  dashboard: runDashboard,
  'intake-during-burst': runIntakeDuringBurst,
};

async function main(argv: string[]): Promise<void> {
  const parsed = parseBenchArgs(argv);
  if (parsed === 'help') {
    process.stdout.write(HELP);
    return;
  }
  process.stdout.write(`Reelay throughput benchmark\n${machineLine()}\n${loadLine()}\n`);
  for (const name of parsed.scenarios) await scenarios[name](parsed);
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (err: unknown) => {
    if (err instanceof BenchUsageError || (err instanceof Error && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS'))) {
      process.stderr.write(`bench: ${err.message}\n\n${HELP}`);
      process.exit(2);
    }
    process.stderr.write(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
