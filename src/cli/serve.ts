import { parseArgs } from 'node:util';
import { startService, type Role } from '../service.js';
import { loadRuntime, onShutdownSignal, UsageError } from './common.js';

export async function run(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { role: { type: 'string', default: 'all' } } });
  const role = values.role as Role;
  if (!['all', 'web', 'worker'].includes(role)) throw new UsageError(`--role must be all, web or worker (got ${values.role})`);
  const { env, config } = loadRuntime({ hubspot: true, heygen: true });
  const service = await startService({ env, config, role });
  onShutdownSignal(() => service.stop());
  // Reload the configuration file; the outcome (what changed, or why it was refused) is logged.
  process.on('SIGHUP', () => void service.reloadConfig());
}
