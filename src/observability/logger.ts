/**
 * JSON logs through pino. Secrets are redacted twice: by path (headers and
 * config keys that hold them) and by value (any configured secret string
 * that finds its way into a message is replaced).
 */
import pino, { type Logger } from 'pino';
import { createScrubber, MIN_SUBSTRING_SECRET_LENGTH } from '../http-client/redact.js';

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

const CENSOR = '[REDACTED]';

/** A secret as it reads inside a JSON string (quotes, backslashes and control characters escaped). */
const asInJson = (secret: string) => JSON.stringify(secret).slice(1, -1);

/**
 * Scrubs every configured secret from a serialised log line. Secrets of 4+
 * characters are replaced in the text, raw and JSON-escaped; shorter ones only
 * inside string values, where they stand alone, so the line stays valid JSON
 * (see `createScrubber`).
 */
export function logLineScrubber(secrets: readonly string[]): ((line: string) => string) | undefined {
  const long = secrets.filter((s) => s.length >= MIN_SUBSTRING_SECRET_LENGTH);
  const short = secrets.filter((s) => s !== '' && s.length < MIN_SUBSTRING_SECRET_LENGTH);
  if (long.length === 0 && short.length === 0) return undefined;
  const scrubLong = createScrubber([...long, ...long.map(asInJson)], CENSOR);
  const scrubShort = createScrubber(short, CENSOR);
  const walk = (value: unknown): unknown => {
    if (typeof value === 'string') return scrubShort(value);
    if (Array.isArray(value)) return value.map(walk);
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]));
    }
    return value;
  };
  return (line) => {
    const scrubbed = scrubLong(line);
    if (short.length === 0) return scrubbed;
    const newline = scrubbed.endsWith('\n') ? '\n' : '';
    try {
      return JSON.stringify(walk(JSON.parse(scrubbed))) + newline;
    } catch {
      return scrubShort(scrubbed);
    }
  };
}

export function createLogger(opts: LoggerOptions): Logger {
  const scrub = logLineScrubber(opts.secrets);
  return pino(
    {
      name: opts.name ?? 'reelay',
      level: opts.level,
      redact: { paths: REDACT_PATHS, censor: CENSOR },
      hooks: {
        streamWrite: scrub,
      },
    },
    opts.destination ?? pino.destination({ sync: false }),
  );
}

export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
