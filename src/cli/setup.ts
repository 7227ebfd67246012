/** `reelay setup`: see `src/setup/run-setup.ts`. */
import { parseArgs } from 'node:util';
import { runSetup } from '../setup/run-setup.js';
import { loadRuntime } from './common.js';

export async function run(argv: string[]): Promise<void> {
  parseArgs({ args: argv, options: {} });
  // No credential is required up front: setup asks for the ones it uses, and it is how HEYGEN_WEBHOOK_SECRET is obtained.
  const { env, config } = loadRuntime({});
  process.exitCode = await runSetup({ env, config, out: process.stdout });
}
