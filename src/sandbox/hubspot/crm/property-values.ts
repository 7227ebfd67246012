/**
 * Validation of property writes, with HubSpot's error codes and wording.
 * A write is a map of property name to raw JSON value; the result is the
 * normalised string (or null, which clears the property) per name.
 */
import { validationError, type CrmApiError } from '../api-error.js';
import type { SandboxObjectType } from './object-types.js';
import type { PropertyRegistry } from './property-registry.js';
import type { PropertyDefinition } from './property-types.js';

export type PropertyProblemCode =
  | 'PROPERTY_DOESNT_EXIST'
  | 'READ_ONLY_VALUE'
  | 'INVALID_OPTION'
  | 'INVALID_NUMBER'
  | 'INVALID_DATE'
  | 'INVALID_DATETIME'
  | 'INVALID_BOOLEAN'
  | 'INVALID_TYPE'
  | 'MAX_CHARACTERS';

export interface PropertyProblem {
  name: string;
  code: PropertyProblemCode;
  message: string;
}

export type NormalisedValues = Map<string, string | null>;

export interface ValidatedWrite {
  values: NormalisedValues;
  problems: PropertyProblem[];
}

const maxStringLength = 65_536;
const dayMs = 86_400_000;
const numberPattern = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const datePattern = /^\d{4}-\d{2}-\d{2}$/;

/** Checks every named property against its definition; read-only ones are refused. */
export function validateWrite(
  registry: PropertyRegistry,
  type: SandboxObjectType,
  raw: Record<string, unknown>,
): ValidatedWrite {
  const values: NormalisedValues = new Map();
  const problems: PropertyProblem[] = [];
  for (const [name, input] of Object.entries(raw)) {
    const def = registry.get(type, name);
    if (!def) {
      problems.push({ name, code: 'PROPERTY_DOESNT_EXIST', message: `Property "${name}" does not exist` });
      continue;
    }
    if (def.readOnlyValue) {
      problems.push({ name, code: 'READ_ONLY_VALUE', message: `"${name}" is a read only property; its value cannot be set.` });
      continue;
    }
    const result = normaliseValue(def, input);
    if (typeof result === 'object' && result !== null) problems.push(result);
    else values.set(name, result);
  }
  return { values, problems };
}

/** The error HubSpot answers when a write carries invalid property values. */
export function propertyProblemsError(problems: PropertyProblem[], portalId: number): CrmApiError {
  const described = problems.map((p) => ({
    isValid: false,
    message: p.message,
    error: p.code,
    name: p.name,
    localizedErrorMessage: p.message,
    portalId,
  }));
  return validationError(`Property values were not valid: ${JSON.stringify(described)}`, {
    errors: problems.map((p) => ({ message: p.message, code: p.code, context: { propertyName: [p.name] } })),
  });
}

function normaliseValue(def: PropertyDefinition, input: unknown): string | null | PropertyProblem {
  if (input === null || input === undefined || input === '') return null;
  if (typeof input !== 'string' && typeof input !== 'number' && typeof input !== 'boolean') {
    return problem(def, 'INVALID_TYPE', `Property "${def.name}" must be a string, number or boolean, not ${Array.isArray(input) ? 'array' : typeof input}`);
  }
  const text = String(input);
  switch (def.type) {
    case 'string':
      return text.length > maxStringLength
        ? problem(def, 'MAX_CHARACTERS', `Property "${def.name}" value is longer than ${maxStringLength} characters`)
        : text;
    case 'number':
      return numberPattern.test(text.trim()) ? text.trim() : problem(def, 'INVALID_NUMBER', `"${text}" is not a valid number for property "${def.name}"`);
    case 'bool': {
      const lower = text.toLowerCase();
      return lower === 'true' || lower === 'false' ? lower : problem(def, 'INVALID_BOOLEAN', `"${text}" is not a valid boolean (true or false) for property "${def.name}"`);
    }
    case 'date':
      return normaliseDate(def, text);
    case 'datetime':
      return normaliseDateTime(def, text);
    case 'enumeration':
      return normaliseOption(def, text);
  }
}

function normaliseDate(def: PropertyDefinition, text: string): string | PropertyProblem {
  const ms = datePattern.test(text) ? Date.parse(`${text}T00:00:00Z`) : toEpochMs(text);
  if (ms === undefined || Number.isNaN(ms)) {
    return problem(def, 'INVALID_DATE', `"${text}" is not a valid date for property "${def.name}"; use YYYY-MM-DD or epoch milliseconds at midnight UTC`);
  }
  if (ms % dayMs !== 0) {
    return problem(def, 'INVALID_DATE', `${text} is at ${new Date(ms).toISOString()}, which is not midnight! Date properties must be set to midnight UTC`);
  }
  return new Date(ms).toISOString().slice(0, 10);
}

function normaliseDateTime(def: PropertyDefinition, text: string): string | PropertyProblem {
  const ms = toEpochMs(text);
  if (ms === undefined) {
    return problem(def, 'INVALID_DATETIME', `"${text}" is not a valid datetime for property "${def.name}"; use ISO 8601 or epoch milliseconds`);
  }
  return new Date(ms).toISOString();
}

function normaliseOption(def: PropertyDefinition, text: string): string | PropertyProblem {
  const allowed = def.options.map((o) => o.value);
  // Multi-select (checkbox) values are ';'-separated.
  const chosen = def.fieldType === 'checkbox' ? text.split(';').filter((v) => v !== '') : [text];
  const bad = chosen.find((v) => !allowed.includes(v));
  if (bad !== undefined) {
    return problem(def, 'INVALID_OPTION', `${JSON.stringify(bad)} was not one of the allowed options: [${allowed.join(', ')}]`);
  }
  return chosen.join(';');
}

/** Epoch milliseconds from digits or an ISO 8601 date/time; undefined otherwise. */
export function toEpochMs(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^-?\d+$/.test(trimmed)) return Number(trimmed);
  if (!/^\d{4}-\d{2}-\d{2}/.test(trimmed)) return undefined;
  const ms = Date.parse(trimmed);
  return Number.isNaN(ms) ? undefined : ms;
}

function problem(def: PropertyDefinition, code: PropertyProblemCode, message: string): PropertyProblem {
  return { name: def.name, code, message };
}
