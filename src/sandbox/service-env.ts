/**
 * The environment of a Reelay service pointed at a running sandbox: what the
 * demo, the tests and the benchmarks all give `serve`.
 */
import type { Sandbox, SandboxSecrets } from './index.js';

export interface ServiceEnvOptions {
  port: number;
  databaseUrl: string;
  /** Also the public URL: `http://127.0.0.1:PORT`. */
  host?: string;
  configPath?: string;
  logLevel?: string;
  adminToken?: string;
}

export function sandboxServiceEnv(sandbox: Sandbox, secrets: Required<SandboxSecrets>, opts: ServiceEnvOptions): Record<string, string> {
  const host = opts.host ?? '127.0.0.1';
  return {
    PORT: String(opts.port),
    HOST: host,
    PUBLIC_URL: `http://${host}:${opts.port}`,
    DATABASE_URL: opts.databaseUrl,
    HUBSPOT_ACCESS_TOKEN: secrets.hubspotAccessToken,
    HUBSPOT_CLIENT_SECRET: secrets.hubspotClientSecret,
    HUBSPOT_CLIENT_ID: sandbox.hubspot.clientId,
    HEYGEN_API_KEY: secrets.heygenApiKey,
    HEYGEN_WEBHOOK_SECRET: secrets.heygenWebhookSecret,
    HUBSPOT_API_BASE: sandbox.hubspot.url,
    HEYGEN_API_BASE: sandbox.heygen.url,
    ...(opts.configPath === undefined ? {} : { REELAY_CONFIG: opts.configPath }),
    ...(opts.adminToken === undefined ? {} : { REELAY_ADMIN_TOKEN: opts.adminToken }),
    ...(opts.logLevel === undefined ? {} : { LOG_LEVEL: opts.logLevel }),
  };
}
