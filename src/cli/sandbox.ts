/** `reelay sandbox`: the local HubSpot and HeyGen simulators, for trying Reelay by hand. */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { seededRandom } from '../core/clock.js';
import { startSandbox } from '../sandbox/index.js';
import { seedContacts } from '../sandbox/hubspot/seed.js';
import { subscriptionEventForms, type SubscriptionEventForm } from '../sandbox/hubspot/webhooks/settings.js';
import { isTimeZone } from '../core/zoned-day.js';
import { onShutdownSignal, UsageError } from './common.js';

function range(value: string | undefined, flag: string): { min: number; max: number } | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d+)(?:-(\d+))?$/.exec(value);
  if (!m) throw new UsageError(`${flag} takes MS or MIN-MAX (got ${value})`);
  return { min: Number(m[1]), max: Number(m[2] ?? m[1]) };
}

function rate(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!(n >= 0 && n <= 1)) throw new UsageError(`${flag} takes a probability between 0 and 1 (got ${value})`);
  return n;
}

export async function run(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      'hubspot-port': { type: 'string', default: '4100' },
      'heygen-port': { type: 'string', default: '4200' },
      host: { type: 'string', default: '127.0.0.1' },
      target: { type: 'string' },
      'hubspot-target': { type: 'string' },
      contacts: { type: 'string', default: '0' },
      seed: { type: 'string', default: '1' },
      burst: { type: 'string' },
      'render-ms': { type: 'string' },
      concurrency: { type: 'string' },
      overflow: { type: 'string' },
      latency: { type: 'string' },
      'error-rate': { type: 'string' },
      'fail-rate': { type: 'string' },
      'callback-loss': { type: 'string' },
      'callback-duplicate': { type: 'string' },
      'timeout-after-accept': { type: 'string' },
      events: { type: 'string' },
      'time-zone': { type: 'string' },
    },
  });
  const env = process.env;
  const generated: string[] = [];
  const secret = (name: string, make: () => string) => {
    const value = env[name];
    if (value) return value;
    generated.push(name);
    return make();
  };
  const secrets = {
    hubspotAccessToken: secret('HUBSPOT_ACCESS_TOKEN', () => `sandbox-${randomBytes(12).toString('hex')}`),
    hubspotClientSecret: secret('HUBSPOT_CLIENT_SECRET', () => randomBytes(16).toString('hex')),
    heygenApiKey: secret('HEYGEN_API_KEY', () => `sandbox-${randomBytes(12).toString('hex')}`),
    heygenWebhookSecret: secret('HEYGEN_WEBHOOK_SECRET', () => `whsec_${randomBytes(24).toString('base64')}`),
  };
  if (values.overflow !== undefined && values.overflow !== '429' && values.overflow !== 'queue') throw new UsageError('--overflow takes 429 or queue');
  const eventForm = values.events;
  if (eventForm !== undefined && !subscriptionEventForms.some((f) => f === eventForm)) {
    throw new UsageError(`--events takes ${subscriptionEventForms.join(', ')} (got ${eventForm})`);
  }
  const timeZone = values['time-zone'];
  if (timeZone !== undefined && !isTimeZone(timeZone)) throw new UsageError(`--time-zone takes an IANA zone such as America/New_York (got ${timeZone})`);
  const renderMs = range(values['render-ms'], '--render-ms');
  const latency = range(values.latency, '--latency');
  const seed = Number(values.seed);

  const sandbox = await startSandbox({
    secrets,
    host: values.host,
    hubspotPort: Number(values['hubspot-port']),
    heygenPort: Number(values['heygen-port']),
    seed,
    ...(values.target ? { heygenTarget: values.target } : {}),
    ...(values['hubspot-target'] ? { hubspotTarget: values['hubspot-target'] } : {}),
    hubspot: {
      ...(values.burst ? { burst: Number(values.burst) } : {}),
      ...(timeZone ? { timeZone } : {}),
      ...(eventForm ? { webhooks: { eventForm: eventForm as SubscriptionEventForm } } : {}),
      faults: {
        ...(latency ? { latencyMs: latency } : {}),
        ...(values['error-rate'] ? { errorRate: rate(values['error-rate'], '--error-rate') as number } : {}),
      },
    },
    heygen: {
      ...(renderMs ? { renderMs } : {}),
      ...(values.concurrency ? { concurrency: Number(values.concurrency) } : {}),
      ...(values.overflow ? { overflow: values.overflow as '429' | 'queue' } : {}),
      faults: {
        ...(latency ? { latencyMs: latency } : {}),
        ...(values['error-rate'] ? { errorRate: rate(values['error-rate'], '--error-rate') } : {}),
        ...(values['fail-rate'] ? { failRate: rate(values['fail-rate'], '--fail-rate') } : {}),
        ...(values['callback-loss'] ? { callbackLossRate: rate(values['callback-loss'], '--callback-loss') } : {}),
        ...(values['callback-duplicate'] ? { callbackDuplicateRate: rate(values['callback-duplicate'], '--callback-duplicate') } : {}),
        ...(values['timeout-after-accept'] ? { timeoutAfterAcceptRate: rate(values['timeout-after-accept'], '--timeout-after-accept') } : {}),
      },
    },
  });
  const contacts = Number(values.contacts);
  if (contacts > 0) sandbox.hubspot.crm.createMany('contacts', seedContacts(contacts, seededRandom(seed), { junkRate: 0.05 }));

  const out = [
    `HUBSPOT_API_BASE=${sandbox.hubspot.url}`,
    `HEYGEN_API_BASE=${sandbox.heygen.url}`,
    `HUBSPOT_CLIENT_ID=${sandbox.hubspot.clientId}`,
    `HubSpot control: ${sandbox.hubspot.url}/_sandbox/stats   HeyGen ledger: ${sandbox.heygen.url}/_sandbox/ledger`,
    contacts > 0 ? `seeded ${contacts} contacts` : '',
    generated.length > 0 ? `generated for this run (export them for serve): ${generated.map((n) => `${n}=${secretFor(n, secrets)}`).join(' ')}` : '',
  ].filter(Boolean);
  process.stdout.write(`${out.join('\n')}\n`);
  onShutdownSignal(() => sandbox.close());
}

function secretFor(name: string, s: { hubspotAccessToken: string; hubspotClientSecret: string; heygenApiKey: string; heygenWebhookSecret: string }): string {
  return {
    HUBSPOT_ACCESS_TOKEN: s.hubspotAccessToken,
    HUBSPOT_CLIENT_SECRET: s.hubspotClientSecret,
    HEYGEN_API_KEY: s.heygenApiKey,
    HEYGEN_WEBHOOK_SECRET: s.heygenWebhookSecret,
  }[name] ?? '';
}
