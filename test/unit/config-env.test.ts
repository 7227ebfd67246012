import { describe, expect, it } from 'vitest';
import { loadEnv, parseDatabaseUrl, secretValues } from '../../src/config/env.js';
import { ConfigError } from '../../src/core/errors.js';

const credentials = {
  HUBSPOT_ACCESS_TOKEN: 'pat-na1-secret-token',
  HUBSPOT_CLIENT_SECRET: 'hubspot-client-secret',
  HEYGEN_API_KEY: 'heygen-key-123',
  HEYGEN_WEBHOOK_SECRET: 'whsec_abc',
};

function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadEnv', () => {
  it('applies the documented defaults', () => {
    const env = loadEnv({});
    expect(env).toEqual({
      port: 3000,
      host: '0.0.0.0',
      publicUrl: undefined,
      databaseUrl: 'sqlite:./reelay.db',
      database: { dialect: 'sqlite', path: './reelay.db' },
      configPath: './reelay.yaml',
      hubspotAccessToken: undefined,
      hubspotClientSecret: undefined,
      heygenApiKey: undefined,
      heygenWebhookSecret: undefined,
      hubspotApiBase: 'https://api.hubapi.com',
      heygenApiBase: 'https://api.heygen.com',
      adminToken: undefined,
      metricsToken: undefined,
      logLevel: 'info',
    });
  });

  it('reads every variable', () => {
    const env = loadEnv(
      {
        ...credentials,
        PORT: '8080',
        HOST: '127.0.0.1',
        PUBLIC_URL: 'https://reelay.example.com/',
        DATABASE_URL: 'postgres://reelay:pw@db:5432/reelay',
        REELAY_CONFIG: '/etc/reelay.yaml',
        HUBSPOT_API_BASE: 'http://127.0.0.1:4010/',
        HEYGEN_API_BASE: 'http://127.0.0.1:4020',
        REELAY_ADMIN_TOKEN: 'admin-token-of-24-chars-x',
        REELAY_METRICS_TOKEN: 'metrics-token',
        LOG_LEVEL: 'DEBUG',
      },
      { hubspot: true, heygen: true },
    );
    expect(env).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      publicUrl: 'https://reelay.example.com',
      database: { dialect: 'postgres', url: 'postgres://reelay:pw@db:5432/reelay' },
      configPath: '/etc/reelay.yaml',
      hubspotAccessToken: credentials.HUBSPOT_ACCESS_TOKEN,
      hubspotClientSecret: credentials.HUBSPOT_CLIENT_SECRET,
      heygenApiKey: credentials.HEYGEN_API_KEY,
      heygenWebhookSecret: credentials.HEYGEN_WEBHOOK_SECRET,
      hubspotApiBase: 'http://127.0.0.1:4010',
      heygenApiBase: 'http://127.0.0.1:4020',
      adminToken: 'admin-token-of-24-chars-x',
      metricsToken: 'metrics-token',
      logLevel: 'debug',
    });
  });

  it('keeps a PUBLIC_URL path, without the trailing slash', () => {
    expect(loadEnv({ PUBLIC_URL: 'https://example.com/reelay//' }).publicUrl).toBe('https://example.com/reelay');
  });

  it('treats empty variables as unset and trims stray whitespace', () => {
    const env = loadEnv({ PORT: '', LOG_LEVEL: ' ', HUBSPOT_ACCESS_TOKEN: ' tok\n', HUBSPOT_CLIENT_SECRET: 's' }, { hubspot: true });
    expect(env.port).toBe(3000);
    expect(env.logLevel).toBe('info');
    expect(env.hubspotAccessToken).toBe('tok');
  });

  it('requires credentials only for the providers asked for', () => {
    expect(() => loadEnv({}, { hubspot: false, heygen: false })).not.toThrow();
    expect(() => loadEnv({ HUBSPOT_ACCESS_TOKEN: 'a', HUBSPOT_CLIENT_SECRET: 'b' }, { hubspot: true })).not.toThrow();
    expect(configError(() => loadEnv({}, { heygen: true })).message).toBe(
      'HEYGEN_API_KEY is required (the HeyGen X-Api-Key); HEYGEN_WEBHOOK_SECRET is required (the secret of the registered HeyGen webhook endpoint)',
    );
  });

  it('names a missing HubSpot token on one line', () => {
    const error = configError(() => loadEnv({ HUBSPOT_CLIENT_SECRET: 'x', HUBSPOT_ACCESS_TOKEN: '' }, { hubspot: true }));
    expect(error.message).toBe('HUBSPOT_ACCESS_TOKEN is required (the HubSpot bearer token)');
  });

  it.each([
    ['PORT', 'abc', 'PORT must be a port number (0-65535), got "abc"'],
    ['PORT', '70000', 'PORT must be a port number (0-65535), got "70000"'],
    ['PORT', '-1', 'PORT must be a port number (0-65535), got "-1"'],
    ['PUBLIC_URL', 'example.com', 'PUBLIC_URL must be a URL such as https://reelay.example.com, got "example.com"'],
    ['PUBLIC_URL', 'ftp://example.com', 'PUBLIC_URL must be an http(s) URL, got "ftp://example.com"'],
    ['PUBLIC_URL', 'https://example.com/?a=1', 'PUBLIC_URL must have no query or fragment, got "https://example.com/?a=1"'],
    ['HUBSPOT_API_BASE', 'not a url', 'HUBSPOT_API_BASE must be a URL such as https://api.hubapi.com, got "not a url"'],
    ['LOG_LEVEL', 'loud', 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent'],
    ['DATABASE_URL', 'mysql://x', 'DATABASE_URL must be sqlite:PATH, sqlite::memory: or postgres://... (got a mysql: URL)'],
    ['DATABASE_URL', 'sqlite:', 'DATABASE_URL needs a file path after sqlite:, e.g. sqlite:./reelay.db or sqlite::memory:'],
  ])('rejects %s=%j with one clear line', (name, value, message) => {
    const error = configError(() => loadEnv({ [name]: value }));
    expect(error.message).toBe(message);
    expect(error.message).not.toContain('\n');
  });

  it('never puts a secret value in a message', () => {
    const env = {
      HUBSPOT_ACCESS_TOKEN: 'pat with spaces',
      HUBSPOT_CLIENT_SECRET: 'client secret',
      HEYGEN_API_KEY: 'key with space',
      REELAY_ADMIN_TOKEN: 'admin token',
      DATABASE_URL: 'mysql://user:hunter2@db/reelay',
    };
    const error = configError(() => loadEnv(env, { hubspot: true, heygen: true }));
    expect(error.message).toContain('HUBSPOT_ACCESS_TOKEN must not contain whitespace');
    expect(error.message).toContain('REELAY_ADMIN_TOKEN must not contain whitespace');
    expect(error.message).toContain('HEYGEN_WEBHOOK_SECRET is required');
    expect(error.message).not.toContain('\n');
    for (const value of ['pat with spaces', 'client secret', 'key with space', 'admin token', 'hunter2']) {
      expect(error.message).not.toContain(value);
    }
  });
});

describe('REELAY_ADMIN_TOKEN', () => {
  it('is refused at start when shorter than 24 characters, on one line naming it and not echoing it', () => {
    const error = configError(() => loadEnv({ REELAY_ADMIN_TOKEN: 'short-admin-token-23chr' }));
    expect(error.message).toBe('REELAY_ADMIN_TOKEN is too short (23 characters): use at least 24 random characters, e.g. `openssl rand -hex 16`');
    expect(error.message).not.toContain('short-admin-token-23chr');
  });

  it('is accepted from 24 characters', () => {
    expect(loadEnv({ REELAY_ADMIN_TOKEN: 'a'.repeat(24) }).adminToken).toBe('a'.repeat(24));
  });
});

describe('parseDatabaseUrl', () => {
  it.each([
    ['sqlite:./reelay.db', { dialect: 'sqlite', path: './reelay.db' }],
    ['sqlite::memory:', { dialect: 'sqlite', path: ':memory:' }],
    ['sqlite:/var/lib/reelay.db', { dialect: 'sqlite', path: '/var/lib/reelay.db' }],
    ['sqlite://data/reelay.db', { dialect: 'sqlite', path: 'data/reelay.db' }],
    ['sqlite:///var/lib/reelay.db', { dialect: 'sqlite', path: '/var/lib/reelay.db' }],
    ['postgres://u:p@localhost:5432/db', { dialect: 'postgres', url: 'postgres://u:p@localhost:5432/db' }],
    ['postgresql://localhost/db', { dialect: 'postgres', url: 'postgresql://localhost/db' }],
  ])('%s', (url, expected) => {
    expect(parseDatabaseUrl(url)).toEqual(expected);
  });

  it.each(['', 'reelay.db', 'mysql://u:secretpw@h/db', 'postgres://'])('rejects %j without echoing it', (url) => {
    const error = configError(() => parseDatabaseUrl(url));
    expect(error.message).toMatch(/^DATABASE_URL /);
    if (url !== '') expect(error.message).not.toContain(url);
    expect(error.message).not.toContain('secretpw');
  });
});

describe('secretValues', () => {
  it('lists the configured secrets and a database password', () => {
    const admin = 'adm-0123456789abcdef01234567';
    const env = loadEnv(
      { ...credentials, REELAY_ADMIN_TOKEN: admin, REELAY_METRICS_TOKEN: 'mtr', DATABASE_URL: 'postgres://u:p%40ss@h/db' },
      { hubspot: true, heygen: true },
    );
    expect(secretValues(env).sort()).toEqual(
      ['pat-na1-secret-token', 'hubspot-client-secret', 'heygen-key-123', 'whsec_abc', admin, 'mtr', 'p%40ss', 'p@ss'].sort(),
    );
  });

  it('is empty when nothing secret is configured', () => {
    expect(secretValues(loadEnv({}))).toEqual([]);
  });
});
