/**
 * JSON logs through pino. Secrets are redacted twice: by path (headers and
 * config keys that hold them) and by value (any configured secret string
 * that finds its way into a message is replaced).
 */
import pino, { type Logger } from 'pino';

export type { Logger };

const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers["x-hubspot-signature"]',
  'req.headers["x-hubspot-signature-v3"]',
  'req.headers["webhook-signature"]',
  'req.headers["x-heygen-signature"]',
  'req.headers.signature',
  'headers.authorization',
  'headers["x-api-key"]',
  '*.accessToken',
  '*.apiKey',
  '*.clientSecret',
  '*.webhookSecret',
  '*.secret',
  'secret',
];

export interface LoggerOptions {
  level: string;
  secrets: string[];
  destination?: pino.DestinationStream;
  name?: string;
}

export function createLogger(opts: LoggerOptions): Logger {
  const secrets = opts.secrets.filter((s) => s.length >= 6);
  const scrub = (text: string): string => secrets.reduce((acc, s) => acc.split(s).join('[REDACTED]'), text);
  return pino(
    {
      name: opts.name ?? 'reelay',
      level: opts.level,
      redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
      hooks: {
        streamWrite: secrets.length > 0 ? scrub : undefined,
      },
    },
    opts.destination ?? pino.destination({ sync: false }),
  );
}

export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
