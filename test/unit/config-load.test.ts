import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatConfigPath, InvalidConfigError, loadConfig, parseConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/core/errors.js';

const minimal = `
heygen:
  api: v3
  concurrency: 3
hubspot:
  burst: 100
campaigns:
  - id: bdr-intro
    object: contacts
    trigger:
      property: lifecyclestage
      equals: marketingqualifiedlead
    template: tpl_3948572394
    title: "Intro for {{firstname}} at {{company}}"
    variables:
      first_name: { property: firstname, required: true }
      company_name: { property: company, fallback: "your team" }
`;

function invalid(text: string, env: NodeJS.ProcessEnv = {}): InvalidConfigError {
  try {
    parseConfig(text, env, 'reelay.yaml');
  } catch (error) {
    if (error instanceof InvalidConfigError) return error;
    throw error;
  }
  throw new Error('expected an InvalidConfigError');
}

describe('parseConfig', () => {
  it('reads the minimum shape of the SPEC with its defaults', () => {
    const config = parseConfig(minimal, {}, 'reelay.yaml');
    expect(config.heygen).toMatchObject({ api: 'v3', concurrency: 3, callbackGrace: 120_000, pollEvery: 60_000, maxRenderAge: 6 * 3_600_000 });
    expect(config.hubspot.properties.status).toBe('heygen_render_status');
    expect(config.server.bodyLimit).toBe(1024 * 1024);
    expect(config.validation.maxLength).toBe(200);
    expect(config.campaigns[0]).toMatchObject({
      id: 'bdr-intro',
      enabled: true,
      variables: { first_name: { property: 'firstname', required: true, type: 'text' } },
    });
  });

  it('treats an empty file as all defaults', () => {
    expect(parseConfig('', {}, 'reelay.yaml').campaigns).toEqual([]);
    expect(parseConfig('# only a comment\n', {}, 'reelay.yaml').heygen.api).toBe('v3');
  });

  it('reports YAML syntax errors with line and column', () => {
    const error = invalid('heygen:\n  api: v3\n concurrency: 3\n');
    expect(error.message).toMatch(/^reelay\.yaml is not valid YAML: line 3, column \d+: /);
    expect(error.issues[0]?.where).toMatch(/^line 3, column \d+$/);
  });

  it('reports duplicate keys as YAML errors', () => {
    expect(invalid('heygen: {}\nheygen: {}\n').message).toContain('line 2, column 1');
  });

  it('reports an unresolved alias', () => {
    expect(invalid('heygen: *nowhere\n').message).toMatch(/^reelay\.yaml is not valid YAML: document: .*nowhere/);
  });

  it('reports a type error with its precise path', () => {
    const error = invalid(minimal.replace('property: firstname, required: true', 'property: 42, required: true'));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe(
      'invalid configuration in reelay.yaml: campaigns[0].variables.first_name.property: Invalid input: expected string, received number',
    );
  });

  it('reports an unknown key with its path', () => {
    const error = invalid(minimal.replace('  burst: 100', '  burst: 100\n  bursts: 5'));
    expect(error.issues).toEqual([{ where: 'hubspot.bursts', message: 'unknown key' }]);
    expect(invalid('nonsense: 1\n').issues).toEqual([{ where: 'nonsense', message: 'unknown key' }]);
  });

  it('reports a missing required key', () => {
    const error = invalid('campaigns:\n  - id: x\n    variables: {}\n');
    expect(error.issues).toEqual([{ where: 'campaigns[0].template', message: 'required (expected string)' }]);
  });

  it('puts several issues on one line each', () => {
    const error = invalid('heygen:\n  api: v9\n  callbackGrace: soon\nworker:\n  leaseSeconds: -1\n');
    const lines = error.message.split('\n');
    expect(lines[0]).toBe('invalid configuration in reelay.yaml:');
    expect(lines.slice(1)).toEqual([
      '  heygen.api: Invalid option: expected one of "v3"|"v2"',
      '  heygen.callbackGrace: not a duration: "soon" (use 500ms, 30s, 2m, 6h, 7d)',
      '  worker.leaseSeconds: Too small: expected number to be >0',
    ]);
    expect(error.issues).toHaveLength(3);
  });

  it('reports schema refinements at the object they concern', () => {
    const error = invalid(minimal.replace('company_name: { property: company, fallback: "your team" }', 'company_name: { fallback: "x" }'));
    expect(error.issues).toEqual([{ where: 'campaigns[0].variables.company_name', message: 'give exactly one of `property` or `template`' }]);
  });

  it('reports a duplicate campaign id', () => {
    const twice = `campaigns:\n  - { id: a, template: t, variables: {} }\n  - { id: a, template: t, variables: {} }\n`;
    expect(invalid(twice).issues).toEqual([{ where: 'campaigns[1].id', message: 'duplicate campaign id a' }]);
  });

  describe('${VAR}', () => {
    it('reads the environment in any string value', () => {
      const text = minimal.replace('tpl_3948572394', '${TEMPLATE_ID}').replace('"your team"', '"the ${TEAM} team"');
      const config = parseConfig(text, { TEMPLATE_ID: 'tpl_from_env', TEAM: 'Acme' }, 'reelay.yaml');
      expect(config.campaigns[0]?.template).toBe('tpl_from_env');
      expect(config.campaigns[0]?.variables.company_name?.fallback).toBe('the Acme team');
    });

    it('substitutes inside lists', () => {
      const config = parseConfig('validation:\n  placeholders: ["${P1}", "n/a"]\n', { P1: 'sample' }, 'reelay.yaml');
      expect(config.validation.placeholders).toEqual(['sample', 'n/a']);
    });

    it('accepts an empty value that is set', () => {
      expect(parseConfig('hubspot:\n  portalId: "${PORTAL}"\n', { PORTAL: '' }, 'reelay.yaml').hubspot.portalId).toBe('');
    });

    it('names the path and the variable when it is not set', () => {
      const error = invalid(minimal.replace('tpl_3948572394', '${TEMPLATE_ID}'));
      expect(error.message).toBe('invalid configuration in reelay.yaml: campaigns[0].template: environment variable TEMPLATE_ID is not set');
    });

    it('lists every missing variable', () => {
      const error = invalid('hubspot:\n  portalId: ${A}\nheygen:\n  api: ${B}\n');
      expect(error.issues).toEqual([
        { where: 'hubspot.portalId', message: 'environment variable A is not set' },
        { where: 'heygen.api', message: 'environment variable B is not set' },
      ]);
    });

    it('keeps $${VAR} as a literal ${VAR}', () => {
      const config = parseConfig('hubspot:\n  portalId: "$${NOT_READ}"\n', {}, 'reelay.yaml');
      expect(config.hubspot.portalId).toBe('${NOT_READ}');
    });

    it('reports malformed references', () => {
      expect(invalid('hubspot:\n  portalId: "${1BAD}"\n').issues[0]).toMatchObject({ where: 'hubspot.portalId', message: expect.stringContaining('malformed') });
      expect(invalid('hubspot:\n  portalId: "${OPEN"\n').issues[0]?.message).toContain('malformed');
    });

    it('leaves other dollar signs alone', () => {
      expect(parseConfig('hubspot:\n  portalId: "$5 {x}"\n', {}, 'reelay.yaml').hubspot.portalId).toBe('$5 {x}');
    });
  });

  describe('placeholder checks', () => {
    it('rejects a malformed title placeholder', () => {
      const error = invalid(minimal.replace('{{company}}"', '{{company"'));
      expect(error.issues).toEqual([{ where: 'campaigns[0].title', message: '"{{" is never closed with "}}"' }]);
    });

    it('rejects a malformed template variable placeholder', () => {
      const text = minimal.replace('company_name: { property: company, fallback: "your team" }', 'greeting: { template: "Hi {{first name}}" }');
      expect(invalid(text).issues).toEqual([
        { where: 'campaigns[0].variables.greeting.template', message: '{{first name}} is not a property name (use {{name}} or {{scope.name}})' },
      ]);
    });

    it('rejects an unknown source scope', () => {
      const error = invalid(minimal.replace('{{company}}', '{{owner.email}}'));
      expect(error.issues[0]).toEqual({
        where: 'campaigns[0].title',
        message: '{{owner.email}}: owner is not a source (use record, recipient, contact, deal, company, ticket)',
      });
    });

    it('accepts known scopes', () => {
      expect(() => parseConfig(minimal.replace('{{company}}', '{{ deal.dealname }}'), {}, 'reelay.yaml')).not.toThrow();
    });
  });
});

describe('formatConfigPath', () => {
  it.each([
    [['campaigns', 0, 'variables', 'first_name', 'property'], 'campaigns[0].variables.first_name.property'],
    [['campaigns', 2], 'campaigns[2]'],
    [['campaigns', 0, 'variables', 'first-name'], 'campaigns[0].variables.first-name'],
    [['campaigns', 0, 'variables', 'first name'], 'campaigns[0].variables["first name"]'],
    [[], '(top level)'],
  ])('%j -> %s', (path, expected) => {
    expect(formatConfigPath(path)).toBe(expected);
  });
});

describe('loadConfig', () => {
  const dir = mkdtempSync(join(tmpdir(), 'reelay-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a file', () => {
    const path = join(dir, 'reelay.yaml');
    writeFileSync(path, minimal);
    expect(loadConfig(path, {}).campaigns).toHaveLength(1);
  });

  it('names the file in validation errors', () => {
    const path = join(dir, 'broken.yaml');
    writeFileSync(path, 'heygen:\n  api: v9\n');
    expect(() => loadConfig(path, {})).toThrow(`invalid configuration in ${path}: heygen.api`);
  });

  it('names a missing file', () => {
    const path = join(dir, 'missing.yaml');
    const run = () => loadConfig(path, {});
    expect(run).toThrow(ConfigError);
    expect(run).toThrow(`configuration file ${path} not found (set REELAY_CONFIG to its path)`);
  });

  it('reports a path that cannot be read', () => {
    expect(() => loadConfig(dir, {})).toThrow(`cannot read configuration file ${dir}`);
  });
});

describe('deeply nested configuration', () => {
  it('says the document is nested too deeply, at 65 levels (the document counts as one) and at 5,000 (not "Maximum call stack size exceeded")', () => {
    const shallow = `heygen: ${'['.repeat(63)}${']'.repeat(63)}`;
    expect(() => parseConfig(shallow, {}, 'c.yaml')).toThrow('heygen: Invalid input');
    for (const depth of [64, 5_000]) {
      const text = `heygen: ${'['.repeat(depth)}${']'.repeat(depth)}`;
      expect(() => parseConfig(text, {}, 'c.yaml')).toThrow(InvalidConfigError);
      expect(() => parseConfig(text, {}, 'c.yaml')).toThrow(/nested (too deeply|deeper than 64 levels)/);
      expect(() => parseConfig(text, {}, 'c.yaml')).not.toThrow(/call stack/);
    }
  });
});
