/**
 * Maps a campaign's variable specs onto HeyGen text variables, from the CRM
 * properties of the record and its associated objects.
 *
 * A value is unusable when it is missing, null, blank, or one of the
 * configured placeholders (compared trimmed and case-insensitively). A
 * `template` variable is unusable when any property it names is unusable, so
 * "Hi {{firstname}}" never goes out as "Hi ". An unusable value takes the
 * variable's `fallback`; without one a `required` variable fails the mapping
 * and an optional one is sent as empty text (never the template's sample text,
 * which would greet the recipient by someone else's name).
 *
 * A value over its length limit fails the mapping, except for an optional
 * variable with a fallback: the fallback is sent instead, if it fits.
 */
import type { CampaignConfig, VariableSpec } from '../config/schema.js';
import { objectSingulars } from './object-types.js';
import { parsePlaceholders, renderTemplate, type Placeholder } from './text-template.js';

export type Props = Record<string, string | null | undefined>;

/** Where a value can come from: the triggering record, or an object enrichment found for it. */
export const sourceNames = ['record', 'recipient', ...objectSingulars] as const;
export type SourceName = (typeof sourceNames)[number];

export type Sources = { record: Props } & { [K in Exclude<SourceName, 'record'>]?: Props };

export interface ValidationRules {
  placeholders: readonly string[];
  maxLength: number;
}

export type MappingResult =
  | { ok: true; variables: Record<string, string>; title: string }
  | { ok: false; reason: string; variable?: string };

/** The part of a campaign the mapping reads. */
export type MappableCampaign = Pick<CampaignConfig, 'id' | 'title' | 'variables'>;

export interface HeygenTextVariable {
  name: string;
  type: 'text';
  properties: { content: string };
}

export const MAX_TITLE_LENGTH = 255;

type Reading = { usable: true; value: string } | { usable: false; problem: string };

export function isSourceName(value: string): value is SourceName {
  return (sourceNames as readonly string[]).includes(value);
}

function codePointLength(text: string): number {
  return [...text].length;
}

function propertyLabel(source: SourceName, property: string): string {
  return source === 'record' ? `property ${property}` : `property ${source}.${property}`;
}

function readValue(sources: Sources, source: SourceName, property: string, placeholders: ReadonlySet<string>): Reading {
  const props = sources[source];
  if (props === undefined) return { usable: false, problem: `${propertyLabel(source, property)} is missing (no ${source} found)` };
  const raw = props[property];
  if (raw === undefined || raw === null) return { usable: false, problem: `${propertyLabel(source, property)} is missing` };
  const value = raw.trim();
  if (value === '') return { usable: false, problem: `${propertyLabel(source, property)} is blank` };
  if (placeholders.has(value.toLowerCase())) {
    return { usable: false, problem: `${propertyLabel(source, property)} is a placeholder (${JSON.stringify(value)})` };
  }
  return { usable: true, value };
}

function scopeOf(placeholder: Placeholder, defaultSource: SourceName): SourceName | undefined {
  if (placeholder.scope === undefined) return defaultSource;
  return isSourceName(placeholder.scope) ? placeholder.scope : undefined;
}

function readTemplate(template: string, sources: Sources, defaultSource: SourceName, placeholders: ReadonlySet<string>): Reading {
  let problem: string | undefined;
  const rendered = renderTemplate(template, (placeholder) => {
    const source = scopeOf(placeholder, defaultSource);
    const reading: Reading =
      source === undefined
        ? { usable: false, problem: `${placeholder.name} names no known source` }
        : readValue(sources, source, placeholder.property, placeholders);
    if (reading.usable) return reading.value;
    problem ??= reading.problem;
    return undefined;
  });
  if (problem !== undefined) return { usable: false, problem };
  const value = rendered.text.trim();
  return value === '' ? { usable: false, problem: 'template renders blank' } : { usable: true, value };
}

function readSpec(spec: VariableSpec, sources: Sources, placeholders: ReadonlySet<string>): Reading {
  const source = spec.from ?? 'record';
  if (spec.property !== undefined) return readValue(sources, source, spec.property, placeholders);
  return readTemplate(spec.template ?? '', sources, source, placeholders);
}

/** The video title: placeholders filled from the sources as they are, whitespace collapsed, at most 255 characters. */
export function renderTitle(campaign: MappableCampaign, sources: Sources): string {
  const rendered = renderTemplate(campaign.title, (placeholder) => {
    const source = scopeOf(placeholder, 'record');
    const raw = source === undefined ? undefined : sources[source]?.[placeholder.property];
    return raw ?? undefined;
  });
  const title = rendered.text.replace(/\s+/g, ' ').trim();
  if (title === '') return campaign.id;
  return codePointLength(title) > MAX_TITLE_LENGTH ? [...title].slice(0, MAX_TITLE_LENGTH).join('').trimEnd() : title;
}

export function mapVariables(campaign: MappableCampaign, sources: Sources, validation: ValidationRules): MappingResult {
  const placeholders = new Set(validation.placeholders.map((p) => p.trim().toLowerCase()));
  const variables: Record<string, string> = {};
  for (const [name, spec] of Object.entries(campaign.variables)) {
    const reading = readSpec(spec, sources, placeholders);
    const limit = spec.maxLength ?? validation.maxLength;
    const overLimit = (text: string) => (codePointLength(text) > limit ? `${codePointLength(text)} characters, over the limit of ${limit}` : undefined);
    const fallback = spec.fallback?.trim();
    const longValue = reading.usable ? overLimit(reading.value) : undefined;
    const problem = reading.usable ? `value is ${longValue}` : reading.problem;
    let value: string;
    if (reading.usable && longValue === undefined) value = reading.value;
    else if (fallback !== undefined && !(longValue !== undefined && spec.required)) {
      // A missing value, or an optional one too long to send: the fallback stands in, if it fits.
      const longFallback = overLimit(fallback);
      if (longFallback !== undefined) {
        const why = longValue !== undefined ? `${problem}, and so is the fallback (${codePointLength(fallback)} characters)` : `fallback is ${longFallback}`;
        return { ok: false, reason: `${name}: ${why}`, variable: name };
      }
      value = fallback;
    } else if (spec.required || longValue !== undefined) return { ok: false, reason: `${name}: ${problem}`, variable: name };
    else value = '';
    variables[name] = value;
  }
  return { ok: true, variables, title: renderTitle(campaign, sources) };
}

/**
 * The property names enrichment must fetch from each source: those named by
 * `property`, by `template` placeholders and by the title. Sorted, no repeats.
 */
export function requiredProperties(campaign: MappableCampaign): Record<SourceName, string[]> {
  const wanted = new Map<SourceName, Set<string>>(sourceNames.map((s) => [s, new Set<string>()]));
  const add = (source: SourceName | undefined, property: string): void => {
    if (source !== undefined) wanted.get(source)?.add(property);
  };
  const addTemplate = (text: string, defaultSource: SourceName): void => {
    for (const placeholder of parsePlaceholders(text)) add(scopeOf(placeholder, defaultSource), placeholder.property);
  };
  for (const spec of Object.values(campaign.variables)) {
    const source = spec.from ?? 'record';
    if (spec.property !== undefined) add(source, spec.property);
    if (spec.template !== undefined) addTemplate(spec.template, source);
  }
  addTemplate(campaign.title, 'record');
  const result = {} as Record<SourceName, string[]>;
  for (const source of sourceNames) result[source] = [...(wanted.get(source) ?? [])].sort();
  return result;
}

/** HeyGen's variables body: `{ first_name: { name, type: 'text', properties: { content } } }`. */
export function heygenVariablesBody(values: Record<string, string>): Record<string, HeygenTextVariable> {
  const body: Record<string, HeygenTextVariable> = {};
  for (const [name, content] of Object.entries(values)) body[name] = { name, type: 'text', properties: { content } };
  return body;
}
