/**
 * Fuzzing configuration loading (`src/config/load.ts`, `src/config/env.ts`):
 * random and mutated YAML, and random environments, never throw anything but
 * the typed ConfigError, and every problem names where it is. A secret's
 * value never appears in a message.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { loadEnv } from '../../src/config/env.js';
import { InvalidConfigError, parseConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/core/errors.js';
import { fuzz, mutated } from './fuzz.js';

const EXAMPLE = readFileSync(new URL('../../reelay.example.yaml', import.meta.url), 'utf8');
const SMALL = `heygen:
  concurrency: 2
campaigns:
  - id: c1
    template: tpl_1
    title: "Hi {{firstname}}"
    trigger: { property: lifecyclestage, equals: lead }
    variables:
      first_name: { property: firstname, required: true, fallback: "\${FALLBACK}" }
`;

/** parseConfig either returns or throws InvalidConfigError whose every issue says where. */
function expectTypedOutcome(text: string, env: NodeJS.ProcessEnv): void {
  try {
    parseConfig(text, env, 'fuzz.yaml');
  } catch (error) {
    if (!(error instanceof InvalidConfigError)) throw error;
    expect(error.issues.length).toBeGreaterThan(0);
    for (const issue of error.issues) {
      expect(issue.where.length).toBeGreaterThan(0);
      expect(issue.message.length).toBeGreaterThan(0);
    }
    expect(error.message).toContain('fuzz.yaml');
  }
}

const KEYS = ['heygen', 'hubspot', 'campaigns', 'worker', 'server', 'validation', 'id', 'object', 'template', 'title', 'trigger', 'variables', 'property', 'equals', 'fallback', 'required', 'from', 'concurrency', 'api', 'burst', 'schedule', 'variants', 'when', 'links', 'budgets', 'x'];
const yamlScalar = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom('30s', '6h', '-1', 'v3', 'v2', 'contacts', 'deals', '{{firstname}}', '{{', '${HOME}', '${', '$${X}', '${NOT_SET}', 'tpl_1', 'cron: "* * * * *"'),
);
const { tree } = fc.letrec((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    yamlScalar,
    fc.array(tie('tree'), { maxLength: 4 }),
    fc.dictionary(fc.constantFrom(...KEYS), tie('tree'), { maxKeys: 5 }),
  ),
}));
const env = fc.dictionary(fc.constantFrom('HOME', 'FALLBACK', 'X', 'EMPTY'), fc.string({ maxLength: 10 }), { maxKeys: 4 });

describe('configuration loading under fuzzing', () => {
  it('mutated configuration files never throw anything but InvalidConfigError with a place', () => {
    fuzz(fc.property(mutated(fc.constantFrom(EXAMPLE, SMALL, SMALL), 6), env, (text, e) => expectTypedOutcome(text, e)), 600);
  });

  it('random YAML documents built from the schema\'s own keys never throw anything but InvalidConfigError', () => {
    fuzz(
      fc.property(fc.dictionary(fc.constantFrom(...KEYS), tree, { maxKeys: 6 }), env, (doc, e) => expectTypedOutcome(stringify(doc), e)),
      1_000,
    );
  });

  it('random text never throws anything but InvalidConfigError', () => {
    fuzz(fc.property(fc.string({ maxLength: 200, unit: 'binary' }), (text) => expectTypedOutcome(text, {})), 3_000);
  });

  it('deeply nested YAML is an InvalidConfigError, not a stack overflow', () => {
    fuzz(
      fc.property(fc.integer({ min: 64, max: 5_000 }), fc.constantFrom('flow-seq', 'flow-map', 'block'), (depth, style) => {
        const text =
          style === 'flow-seq' ? `heygen: ${'['.repeat(depth)}${']'.repeat(depth)}`
          : style === 'flow-map' ? `heygen: ${'{a: '.repeat(depth)}1${'}'.repeat(depth)}`
          : `heygen:\n${Array.from({ length: Math.min(depth, 600) }, (_, i) => `${' '.repeat(i + 1)}a${i}:`).join('\n')} 1`;
        expect(() => parseConfig(text, {}, 'fuzz.yaml')).toThrow(InvalidConfigError);
        expect(() => parseConfig(text, {}, 'fuzz.yaml')).toThrow(/nested (too|deeper)/);
      }),
      20,
    );
  });
});

const SECRET_VARS = ['HUBSPOT_ACCESS_TOKEN', 'HUBSPOT_CLIENT_SECRET', 'HEYGEN_API_KEY', 'HEYGEN_WEBHOOK_SECRET', 'REELAY_ADMIN_TOKEN'] as const;
const OTHER_VARS = ['PORT', 'HOST', 'PUBLIC_URL', 'DATABASE_URL', 'REELAY_CONFIG', 'HUBSPOT_API_BASE', 'HEYGEN_API_BASE', 'LOG_LEVEL'] as const;
const ALL_VARS = [...SECRET_VARS, ...OTHER_VARS] as const;

const envValue = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.constantFrom('', ' ', '3000', '70000', '-1', 'http://x', 'https://api.example.com/', 'ftp://x', 'http://x?q=1', 'sqlite:', 'sqlite::memory:', 'postgres://', 'postgres://u:p@h/db', 'mysql://x', 'debug', 'LOUD'),
);
/** Secrets of a recognisable shape, so a leak into a message cannot be a coincidence. */
const secretValue = fc.oneof(
  fc.string({ minLength: 4, maxLength: 12, unit: fc.constantFrom(...'abcdefXYZ0189-_'.split('')) }).map((s) => `SEKRIT${s}`),
  fc.string({ minLength: 1, maxLength: 8 }).map((s) => `SEKRIT ${s}`),
);

describe('environment loading under fuzzing', () => {
  it('random environments load or throw one ConfigError naming the variables, never echoing a secret', () => {
    fuzz(
      fc.property(
        fc.record(Object.fromEntries(ALL_VARS.map((name) => [name, SECRET_VARS.includes(name as never) ? secretValue : envValue])) as Record<(typeof ALL_VARS)[number], fc.Arbitrary<string>>, { requiredKeys: [] }),
        fc.record({ hubspot: fc.boolean(), heygen: fc.boolean() }),
        (e, needs) => {
          try {
            loadEnv(e, needs);
          } catch (error) {
            if (!(error instanceof ConfigError)) throw error;
            const message = error.message;
            expect(ALL_VARS.some((name) => message.startsWith(`${name} `))).toBe(true);
            for (const name of SECRET_VARS) {
              const value = e[name]?.trim();
              if (value) expect(message).not.toContain(value);
            }
            const password = /:\/\/[^:]*:([^@]+)@/.exec(e.DATABASE_URL ?? '')?.[1];
            if (password && password.length > 3) expect(message).not.toContain(password);
          }
        },
      ),
      1_000,
    );
  });
});
