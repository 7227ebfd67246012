/**
 * The process environment (SPEC "Environment"), read once into a typed
 * object. A missing or malformed setting throws a ConfigError naming it on
 * one line; a secret's value never appears in a message.
 */
import { z } from 'zod';
import { ConfigError } from '../core/errors.js';

export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof logLevels)[number];

export type DatabaseTarget = { dialect: 'sqlite'; path: string } | { dialect: 'postgres'; url: string };

export interface ReelayEnv {
  port: number;
  host: string;
  /** Without a trailing slash. */
  publicUrl: string | undefined;
  databaseUrl: string;
  database: DatabaseTarget;
  configPath: string;
  hubspotAccessToken: string | undefined;
  hubspotClientSecret: string | undefined;
  /** The HubSpot app's client id, for the client-credentials token of `hubspot.intake: journal`. */
  hubspotClientId: string | undefined;
  heygenApiKey: string | undefined;
  heygenWebhookSecret: string | undefined;
  /** Without a trailing slash. */
  hubspotApiBase: string;
  /** Without a trailing slash. */
  heygenApiBase: string;
  /** The admin API is off when unset. */
  adminToken: string | undefined;
  /** When set, `/metrics` asks for it as a bearer token. */
  metricsToken: string | undefined;
  logLevel: LogLevel;
}

/** Which providers the command talks to: their credentials become required. */
export interface EnvNeeds {
  hubspot?: boolean;
  heygen?: boolean;
}

interface HubspotCredentials {
  hubspotAccessToken: string;
  hubspotClientSecret: string;
}
interface HeygenCredentials {
  heygenApiKey: string;
  heygenWebhookSecret: string;
}

/** The environment with the needed providers' credentials known to be present. */
export type LoadedEnv<N extends EnvNeeds> = ReelayEnv &
  (N['hubspot'] extends true ? HubspotCredentials : unknown) &
  (N['heygen'] extends true ? HeygenCredentials : unknown);

const DEFAULT_DATABASE_URL = 'sqlite:./reelay.db';

/** Unset and empty variables are the same thing; surrounding whitespace (a stray newline in a secret file) is dropped. */
const blankAsUnset = (value: unknown): unknown => {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
};

const lowercase = (value: unknown): unknown => {
  const unset = blankAsUnset(value);
  return typeof unset === 'string' ? unset.toLowerCase() : unset;
};

function secret(meaning: string, required: boolean) {
  const value = z.string().regex(/^\S+$/, 'must not contain whitespace');
  return z.preprocess(blankAsUnset, required ? z.string({ error: `is required (${meaning})` }).pipe(value) : value.optional());
}

/** A bearer token guessing must not find: at least this many characters. */
export const MIN_ADMIN_TOKEN_LENGTH = 24;

function longToken(meaning: string, min: number) {
  return z.preprocess(
    blankAsUnset,
    z
      .string()
      .regex(/^\S+$/, 'must not contain whitespace')
      .transform((value, ctx) => {
        if (value.length >= min) return value;
        ctx.addIssue({
          code: 'custom',
          message: `is too short (${value.length} characters): use at least ${min} random characters, e.g. \`openssl rand -hex 16\``,
        });
        return z.NEVER;
      })
      .optional()
      .describe(meaning),
  );
}

function httpUrl(example: string) {
  return z.string().transform((raw, ctx) => {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      ctx.addIssue({ code: 'custom', message: `must be a URL such as ${example}, got ${JSON.stringify(raw)}` });
      return z.NEVER;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      ctx.addIssue({ code: 'custom', message: `must be an http(s) URL, got ${JSON.stringify(raw)}` });
      return z.NEVER;
    }
    if (url.search !== '' || url.hash !== '') {
      ctx.addIssue({ code: 'custom', message: `must have no query or fragment, got ${JSON.stringify(raw)}` });
      return z.NEVER;
    }
    return raw.replace(/\/+$/, '');
  });
}

function readDatabaseUrl(url: string): DatabaseTarget | { problem: string } {
  const trimmed = url.trim();
  if (trimmed.startsWith('sqlite:')) {
    const path = trimmed.slice('sqlite:'.length).replace(/^\/\/(?=.)/, '');
    if (path === '') return { problem: 'needs a file path after sqlite:, e.g. sqlite:./reelay.db or sqlite::memory:' };
    return { dialect: 'sqlite', path };
  }
  if (/^postgres(ql)?:\/\//.test(trimmed)) {
    let parsed: URL;
    try {
      parsed = new URL(trimmed);
    } catch {
      return { problem: 'is not a valid postgres:// URL' };
    }
    if (parsed.hostname === '') return { problem: 'names no host' };
    return { dialect: 'postgres', url: trimmed };
  }
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(trimmed)?.[1];
  const got = scheme === undefined ? '' : ` (got a ${scheme}: URL)`;
  return { problem: `must be sqlite:PATH, sqlite::memory: or postgres://...${got}` };
}

/** `sqlite:PATH`, `sqlite::memory:` or `postgres(ql)://...`. Messages never echo the URL: it may hold a password. */
export function parseDatabaseUrl(url: string): DatabaseTarget {
  const target = readDatabaseUrl(url);
  if ('problem' in target) throw new ConfigError(`DATABASE_URL ${target.problem}`);
  return target;
}

function envSchema(needs: EnvNeeds) {
  return z.object({
    PORT: z.preprocess(
      blankAsUnset,
      z
        .string()
        .default('3000')
        .transform((raw, ctx) => {
          const port = /^\d{1,5}$/.test(raw) ? Number(raw) : NaN;
          if (port >= 0 && port <= 65535) return port;
          ctx.addIssue({ code: 'custom', message: `must be a port number (0-65535), got ${JSON.stringify(raw)}` });
          return z.NEVER;
        }),
    ),
    HOST: z.preprocess(blankAsUnset, z.string().default('0.0.0.0')),
    PUBLIC_URL: z.preprocess(blankAsUnset, httpUrl('https://reelay.example.com').optional()),
    DATABASE_URL: z.preprocess(
      blankAsUnset,
      z
        .string()
        .default(DEFAULT_DATABASE_URL)
        .transform((raw, ctx) => {
          const target = readDatabaseUrl(raw);
          if (!('problem' in target)) return { raw, target };
          ctx.addIssue({ code: 'custom', message: target.problem });
          return z.NEVER;
        }),
    ),
    REELAY_CONFIG: z.preprocess(blankAsUnset, z.string().default('./reelay.yaml')),
    HUBSPOT_ACCESS_TOKEN: secret('the HubSpot bearer token', needs.hubspot === true),
    HUBSPOT_CLIENT_SECRET: secret('the secret that signs HubSpot webhooks', needs.hubspot === true),
    HUBSPOT_CLIENT_ID: secret("the HubSpot app's client id", false),
    HEYGEN_API_KEY: secret('the HeyGen X-Api-Key', needs.heygen === true),
    HEYGEN_WEBHOOK_SECRET: secret('the secret of the registered HeyGen webhook endpoint', needs.heygen === true),
    HUBSPOT_API_BASE: z.preprocess(blankAsUnset, httpUrl('https://api.hubapi.com').default('https://api.hubapi.com')),
    HEYGEN_API_BASE: z.preprocess(blankAsUnset, httpUrl('https://api.heygen.com').default('https://api.heygen.com')),
    REELAY_ADMIN_TOKEN: longToken('the admin API bearer token', MIN_ADMIN_TOKEN_LENGTH),
    REELAY_METRICS_TOKEN: secret('the /metrics bearer token', false),
    LOG_LEVEL: z.preprocess(
      lowercase,
      z.enum(logLevels, { error: `must be one of ${logLevels.join(', ')}` }).default('info'),
    ),
  });
}

/** Reads the environment. Every problem is reported, each naming its variable, on one line. */
export function loadEnv<const N extends EnvNeeds = EnvNeeds>(env: NodeJS.ProcessEnv, needs?: N): LoadedEnv<N> {
  const parsed = envSchema(needs ?? {}).safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${String(issue.path[0] ?? 'environment')} ${issue.message}`);
    throw new ConfigError(problems.join('; '));
  }
  const v = parsed.data;
  const loaded: ReelayEnv = {
    port: v.PORT,
    host: v.HOST,
    publicUrl: v.PUBLIC_URL,
    databaseUrl: v.DATABASE_URL.raw,
    database: v.DATABASE_URL.target,
    configPath: v.REELAY_CONFIG,
    hubspotAccessToken: v.HUBSPOT_ACCESS_TOKEN,
    hubspotClientSecret: v.HUBSPOT_CLIENT_SECRET,
    hubspotClientId: v.HUBSPOT_CLIENT_ID,
    heygenApiKey: v.HEYGEN_API_KEY,
    heygenWebhookSecret: v.HEYGEN_WEBHOOK_SECRET,
    hubspotApiBase: v.HUBSPOT_API_BASE,
    heygenApiBase: v.HEYGEN_API_BASE,
    adminToken: v.REELAY_ADMIN_TOKEN,
    metricsToken: v.REELAY_METRICS_TOKEN,
    logLevel: v.LOG_LEVEL,
  };
  // The schema made the needed credentials required, which is what LoadedEnv<N> promises.
  return loaded as LoadedEnv<N>;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * `hubspot.intake: journal` reads events with a client-credentials token, so
 * it needs the app's client id besides its secret. Returns the id, or throws
 * one line naming the variable.
 */
export function requireJournalClientId(env: ReelayEnv, intake: 'webhooks' | 'journal'): string | undefined {
  if (intake !== 'journal') return env.hubspotClientId;
  if (env.hubspotClientId === undefined) {
    throw new ConfigError("HUBSPOT_CLIENT_ID is required when hubspot.intake is journal (the HubSpot app's client id, for its client-credentials token)");
  }
  return env.hubspotClientId;
}

/** Every configured secret (and a database password), for log redaction. */
export function secretValues(env: ReelayEnv): string[] {
  const secrets = [env.hubspotAccessToken, env.hubspotClientSecret, env.heygenApiKey, env.heygenWebhookSecret, env.adminToken, env.metricsToken];
  if (env.database.dialect === 'postgres') {
    const password = new URL(env.database.url).password;
    if (password !== '') secrets.push(password, safeDecode(password));
  }
  return [...new Set(secrets.filter((s): s is string => s !== undefined && s !== ''))];
}
