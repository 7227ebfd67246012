/** `reelay setup`: see `src/setup/run-setup.ts`; `--hubspot-project DIR`: see `src/setup/write-hubspot-project.ts`. */
import { parseArgs } from 'node:util';
import { runSetup } from '../setup/run-setup.js';
import { writeHubSpotProject } from '../setup/write-hubspot-project.js';
import { loadRuntime, UsageError } from './common.js';

export async function run(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { 'hubspot-project': { type: 'string' } } });
  // No credential is required up front: setup asks for the ones it uses, and it is how HEYGEN_WEBHOOK_SECRET is obtained.
  const { env, config } = loadRuntime({});
  const projectDir = values['hubspot-project'];
  if (projectDir !== undefined) {
    if (projectDir.trim() === '') throw new UsageError('--hubspot-project needs a directory');
    if (env.publicUrl === undefined) {
      throw new UsageError('--hubspot-project needs PUBLIC_URL (the https address HubSpot delivers webhooks to, e.g. https://reelay.example.com)');
    }
    await writeHubSpotProject({ config, publicUrl: env.publicUrl, dir: projectDir, out: process.stdout });
    return;
  }
  process.exitCode = await runSetup({ env, config, out: process.stdout });
}
