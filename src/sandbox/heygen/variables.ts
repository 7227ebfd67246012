/**
 * Checks the `variables` of a create against its template.
 *
 * Decisions (HeyGen documents the first two; the third is ours):
 * - an unknown variable name, or a value of the wrong type, is refused with
 *   400 `invalid_parameter` naming the variable;
 * - omitting an image/video/audio variable is fine (the template keeps its
 *   own media);
 * - omitting a text variable is refused by default (`missingText: 'reject'`).
 *   Real HeyGen accepts it and renders the literal `{{name}}` placeholder,
 *   billed like any other video: `missingText: 'placeholder'` reproduces that
 *   and reports the names in `unfilled`.
 */
import { invalidParameter } from './api-error.js';
import { variableTypes, type SandboxTemplate, type VariableType } from './templates.js';

export type MissingTextPolicy = 'reject' | 'placeholder';

export interface ResolvedVariables {
  /** Name -> text content, or media URL / asset id. */
  values: Record<string, string>;
  /** Text variables left unfilled (only under `missingText: 'placeholder'`). */
  unfilled: string[];
}

export interface VariableRules {
  maxTextLength: number;
  missingText: MissingTextPolicy;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isVariableType(value: unknown): value is VariableType {
  return typeof value === 'string' && (variableTypes as readonly string[]).includes(value);
}

function readValue(name: string, type: VariableType, properties: Record<string, unknown>, rules: VariableRules): string {
  if (type === 'text') {
    const content = properties['content'];
    if (typeof content !== 'string') throw invalidParameter(`variables.${name}.properties.content must be a string`);
    if (content.length > rules.maxTextLength) {
      throw invalidParameter(`variables.${name} is ${content.length} characters long; the limit is ${rules.maxTextLength}`);
    }
    return content;
  }
  const url = properties['url'];
  const assetId = properties['asset_id'];
  if (typeof url === 'string' && url !== '') return url;
  if (typeof assetId === 'string' && assetId !== '') return assetId;
  throw invalidParameter(`variables.${name} (${type}) needs properties.url or properties.asset_id`);
}

export function resolveVariables(template: SandboxTemplate, input: unknown, rules: VariableRules): ResolvedVariables {
  if (input !== undefined && input !== null && !isRecord(input)) {
    throw invalidParameter('variables must be an object keyed by variable name');
  }
  const given = input ?? {};
  const values: Record<string, string> = {};

  for (const [name, entry] of Object.entries(given)) {
    const declared = template.variables[name];
    if (!declared) throw invalidParameter(`variables.${name} is not a variable of template ${template.id}`);
    if (!isRecord(entry)) throw invalidParameter(`variables.${name} must be an object {name, type, properties}`);
    if (entry['name'] !== undefined && entry['name'] !== name) {
      throw invalidParameter(`variables.${name}.name must be "${name}"`);
    }
    const type = entry['type'];
    if (!isVariableType(type)) throw invalidParameter(`variables.${name}.type must be one of ${variableTypes.join(', ')}`);
    if (type !== declared.type) {
      throw invalidParameter(`variables.${name} has type ${type}; template ${template.id} declares ${declared.type}`);
    }
    const properties = entry['properties'];
    if (!isRecord(properties)) throw invalidParameter(`variables.${name}.properties must be an object`);
    values[name] = readValue(name, type, properties, rules);
  }

  const unfilled = Object.entries(template.variables)
    .filter(([name, variable]) => variable.type === 'text' && values[name] === undefined)
    .map(([name]) => name);
  if (unfilled.length > 0 && rules.missingText === 'reject') {
    throw invalidParameter(`missing text variable${unfilled.length > 1 ? 's' : ''}: ${unfilled.join(', ')}`);
  }
  return { values, unfilled };
}
