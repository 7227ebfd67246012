/** `reelay doctor`: see `src/doctor/run-doctor.ts`. */
import { parseArgs } from 'node:util';
import { runDoctor } from '../doctor/run-doctor.js';
import { loadRuntime } from './common.js';

export async function run(argv: string[]): Promise<void> {
  parseArgs({ args: argv, options: {} });
  // Missing credentials are findings, reported as red lines, not start-up errors.
  const { env, config } = loadRuntime({});
  process.exitCode = await runDoctor({ env, config, out: process.stdout });
}
