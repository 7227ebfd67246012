/** `reelay COMMAND ...`: one executable, one file per command. */
import { exitWithError, UsageError } from './common.js';

const HELP = `reelay: HubSpot events in, personalised HeyGen videos out, results written back to HubSpot

  reelay serve [--role all|web|worker]    HTTP intake and workers
  reelay demo                             the whole flow on this machine, no accounts needed
  reelay sandbox                          local HubSpot + HeyGen simulators
  reelay setup                            create the HubSpot properties, register the HeyGen webhook (safe to re-run)
  reelay setup --hubspot-project DIR      write the HubSpot developer project (app + webhooks) for hs project upload
  reelay doctor                           check token, scopes, properties, templates, webhooks, database, PUBLIC_URL
  reelay migrate                          apply database migrations
  reelay jobs [--state S] [--campaign C]  list renders and counts by state
  reelay job ID                           one render and its timeline
  reelay retry ID | --failed [--campaign C]
  reelay cancel ID
  reelay approve ID                       send a render awaiting review (review: required) to the CRM
  reelay reject ID --reason R             fail a render awaiting review with "rejected: R"
  reelay render --campaign C --object-id N [--dry-run]
  reelay backfill --campaign C --filter 'prop=value,...' [--dry-run] [--limit N]
  reelay forget --object T --id N         erase a person's data (and their videos at HeyGen)

Environment and configuration: see README.md.
`;

const commands: Record<string, (argv: string[]) => Promise<void>> = {
  serve: async (argv) => (await import('./serve.js')).run(argv),
  demo: async (argv) => (await import('./demo.js')).run(argv),
  sandbox: async (argv) => (await import('./sandbox.js')).run(argv),
  migrate: async () => (await import('./migrate.js')).run(),
  setup: async (argv) => (await import('./setup.js')).run(argv),
  doctor: async (argv) => (await import('./doctor.js')).run(argv),
  render: async (argv) => (await import('./render.js')).run(argv),
  backfill: async (argv) => (await import('./backfill.js')).run(argv),
  jobs: async (argv) => (await import('./jobs.js')).jobs(argv),
  job: async (argv) => (await import('./jobs.js')).job(argv),
  retry: async (argv) => (await import('./jobs.js')).retry(argv),
  cancel: async (argv) => (await import('./jobs.js')).cancel(argv),
  forget: async (argv) => (await import('./forget.js')).run(argv),
  approve: async (argv) => (await import('./jobs.js')).approve(argv),
  reject: async (argv) => (await import('./jobs.js')).reject(argv),
};

async function main(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(HELP);
    return;
  }
  const command = commands[name];
  if (!command) throw new UsageError(`unknown command ${name} (reelay --help lists them)`);
  await command(rest);
}

main(process.argv.slice(2)).catch(exitWithError);
