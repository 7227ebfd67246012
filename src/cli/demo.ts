import { parseArgs } from 'node:util';
import { defaultDemoConfig, runDemo } from '../demo/run-demo.js';
import { UsageError } from './common.js';

export async function run(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      config: { type: 'string', default: defaultDemoConfig },
      seed: { type: 'string', default: '42' },
      keep: { type: 'boolean', default: false },
      timeout: { type: 'string', default: '180' },
      intake: { type: 'string', default: 'webhooks' },
      'keep-open': { type: 'boolean', default: false },
      exit: { type: 'boolean', default: false },
    },
  });
  if (values['keep-open'] && values.exit) throw new UsageError('give --keep-open or --exit, not both');
  if (values.intake !== 'webhooks' && values.intake !== 'journal') throw new UsageError(`--intake must be webhooks or journal (got ${values.intake})`);
  const summary = await runDemo({
    configPath: values.config,
    seed: Number(values.seed),
    keep: values.keep,
    timeoutMs: Number(values.timeout) * 1000,
    intake: values.intake,
    // Default: keep serving after the summary when stdout is a terminal.
    ...(values['keep-open'] ? { keepOpen: true } : values.exit ? { keepOpen: false } : {}),
    out: process.stdout,
  });
  if (summary.duplicatesBilled > 0 || summary.writtenBack < summary.rendered) process.exitCode = 1;
}
