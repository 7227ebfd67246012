/**
 * Loads `reelay.yaml`: YAML syntax, `${VAR}` substitution from the
 * environment, the schema, then checks the schema cannot express (template
 * placeholders). Every problem is reported with where it is, one per line.
 */
import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from '../core/errors.js';
import { MAX_JSON_DEPTH, valueTooDeep } from '../core/json-depth.js';
import { malformedPlaceholders, parsePlaceholders } from '../core/text-template.js';
import { isSourceName, sourceNames } from '../core/variables.js';
import { scheduleProblems } from '../core/schedule.js';
import { configSchema, type ReelayConfig } from './schema.js';

export interface ConfigIssue {
  /** A key path such as `campaigns[0].template`, or `line 3, column 7` for YAML syntax. */
  where: string;
  message: string;
}

/** A configuration that cannot be used; `issues` lists every problem found. */
export class InvalidConfigError extends ConfigError {
  readonly issues: readonly ConfigIssue[];
  constructor(headline: string, issues: readonly ConfigIssue[]) {
    const lines = issues.map((issue) => `${issue.where}: ${issue.message}`);
    super(lines.length === 1 ? `${headline}: ${lines[0]}` : `${headline}:\n${lines.map((line) => `  ${line}`).join('\n')}`);
    this.name = 'InvalidConfigError';
    this.issues = issues;
  }
}

type PathSegment = PropertyKey;

/** `['campaigns', 0, 'variables', 'first_name']` -> `campaigns[0].variables.first_name`. */
export function formatConfigPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (typeof segment === 'string' && /^[A-Za-z0-9_$-]+$/.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(String(segment))}]`;
  }
  return out === '' ? '(top level)' : out;
}

// `${NAME}` reads the environment; `$${NAME}` is a literal `${NAME}`; any other `${` is a mistake.
const REFERENCE = /\$(\$?)\{([^}]*)\}?/g;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function substituteString(text: string, env: NodeJS.ProcessEnv, where: string, issues: ConfigIssue[]): string {
  return text.replace(REFERENCE, (whole, escape: string, name: string) => {
    if (escape === '$') return whole.slice(1);
    if (!whole.endsWith('}') || !ENV_NAME.test(name)) {
      issues.push({ where, message: `malformed environment reference ${JSON.stringify(whole)} (use \${NAME}, or $\${ for a literal)` });
      return whole;
    }
    const value = env[name];
    if (value === undefined) {
      issues.push({ where, message: `environment variable ${name} is not set` });
      return '';
    }
    return value;
  });
}

/** Replaces `${VAR}` in every string value (keys are left alone). */
function substituteEnv(value: unknown, env: NodeJS.ProcessEnv, path: PathSegment[], issues: ConfigIssue[]): unknown {
  if (typeof value === 'string') return substituteString(value, env, formatConfigPath(path), issues);
  if (Array.isArray(value)) return value.map((item, i) => substituteEnv(item, env, [...path, i], issues));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = substituteEnv(item, env, [...path, key], issues);
    return out;
  }
  return value;
}

const TOO_DEEP = `nested too deeply (more than ${MAX_JSON_DEPTH} levels)`;

/** The YAML library reports a document too deep for it as a stack overflow: say what it means. */
function yamlMessage(message: string): string {
  return /call stack/i.test(message) ? TOO_DEEP : message;
}

function parseYaml(yamlText: string, sourceName: string): unknown {
  const headline = `${sourceName} is not valid YAML`;
  let doc: ReturnType<typeof parseDocument>;
  try {
    doc = parseDocument(yamlText);
  } catch (error) {
    throw new InvalidConfigError(headline, [{ where: 'document', message: yamlMessage(error instanceof Error ? error.message : String(error)) }]);
  }
  if (doc.errors.length > 0) {
    throw new InvalidConfigError(
      headline,
      doc.errors.map((error) => {
        const position = error.linePos?.[0];
        const firstLine = (error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
        return { where: position ? `line ${position.line}, column ${position.col}` : 'document', message: yamlMessage(firstLine) };
      }),
    );
  }
  let value: unknown;
  try {
    value = doc.toJS();
  } catch (error) {
    // Unresolvable aliases and alias bombs surface only when the document is built.
    throw new InvalidConfigError(headline, [{ where: 'document', message: yamlMessage(error instanceof Error ? error.message : String(error)) }]);
  }
  // Checked before the recursive steps that follow (environment substitution, the schema).
  if (valueTooDeep(value)) throw new InvalidConfigError(`invalid configuration in ${sourceName}`, [{ where: 'document', message: TOO_DEEP }]);
  return value;
}

function describeIssue(issue: z.core.$ZodIssue): ConfigIssue[] {
  const where = formatConfigPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ where: formatConfigPath([...issue.path, key]), message: 'unknown key' }));
  }
  if (issue.code === 'invalid_type' && issue.input === undefined) {
    return [{ where, message: `required (expected ${issue.expected})` }];
  }
  return [{ where, message: issue.message }];
}

function checkTemplate(text: string, path: PathSegment[], issues: ConfigIssue[]): void {
  const where = formatConfigPath(path);
  for (const problem of malformedPlaceholders(text)) issues.push({ where, message: problem });
  for (const placeholder of parsePlaceholders(text)) {
    if (placeholder.scope !== undefined && !isSourceName(placeholder.scope)) {
      issues.push({
        where,
        message: `{{${placeholder.name}}}: ${placeholder.scope} is not a source (use ${sourceNames.join(', ')})`,
      });
    }
  }
}

function checkPlaceholders(config: ReelayConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  config.campaigns.forEach((campaign, i) => {
    checkTemplate(campaign.title, ['campaigns', i, 'title'], issues);
    for (const [name, spec] of Object.entries(campaign.variables)) {
      if (spec.template !== undefined) checkTemplate(spec.template, ['campaigns', i, 'variables', name, 'template'], issues);
    }
    for (const problem of campaign.schedule ? scheduleProblems(campaign.schedule) : []) {
      issues.push({ where: formatConfigPath(['campaigns', i, 'schedule', ...problem.path]), message: problem.message });
    }
  });
  return issues;
}

/** Parses and validates configuration text; `sourceName` names it in messages (usually the file path). */
export function parseConfig(yamlText: string, env: NodeJS.ProcessEnv, sourceName: string): ReelayConfig {
  const headline = `invalid configuration in ${sourceName}`;
  const raw = parseYaml(yamlText, sourceName) ?? {};

  const envIssues: ConfigIssue[] = [];
  const substituted = substituteEnv(raw, env, [], envIssues);
  if (envIssues.length > 0) throw new InvalidConfigError(headline, envIssues);

  const parsed = configSchema.safeParse(substituted, { reportInput: true });
  if (!parsed.success) throw new InvalidConfigError(headline, parsed.error.issues.flatMap(describeIssue));

  const placeholderIssues = checkPlaceholders(parsed.data);
  if (placeholderIssues.length > 0) throw new InvalidConfigError(headline, placeholderIssues);
  return parsed.data;
}

/** Reads and validates the configuration file at `path`. */
export function loadConfig(path: string, env: NodeJS.ProcessEnv): ReelayConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ConfigError(`configuration file ${path} not found (set REELAY_CONFIG to its path)`);
    throw new ConfigError(`cannot read configuration file ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return parseConfig(text, env, path);
}
