/**
 * `{{property}}` templates for video titles and `template` variables.
 *
 * A placeholder is `{{name}}` or `{{scope.name}}`, with optional whitespace
 * inside the braces (`{{ firstname }}`). A bare name is read from the
 * caller's default scope; a dotted one from the named scope
 * (`{{deal.dealname}}`). Text outside placeholders is copied as is.
 */

/** One `{{...}}` occurrence: `scope` is undefined for a bare name. */
export interface Placeholder {
  readonly scope: string | undefined;
  readonly property: string;
  /** The name as written, without braces or whitespace: `firstname`, `deal.dealname`. */
  readonly name: string;
}

export interface RenderedTemplate {
  readonly text: string;
  /** Names (as written) that had no value and rendered as empty text, in order of first use. */
  readonly missing: readonly string[];
}

/** Returns the text for a placeholder, or undefined when it has no value. */
export type PlaceholderResolver = (placeholder: Placeholder) => string | undefined;

const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;
const NAME = /^(?:([A-Za-z0-9_]+)\.)?([A-Za-z0-9_]+)$/;

function parseName(inner: string): Placeholder | undefined {
  const match = NAME.exec(inner.trim());
  if (!match || match[2] === undefined) return undefined;
  const scope = match[1];
  const property = match[2];
  return { scope, property, name: scope === undefined ? property : `${scope}.${property}` };
}

/** Every well-formed placeholder in `text`, in order, repeats included. */
export function parsePlaceholders(text: string): Placeholder[] {
  const found: Placeholder[] = [];
  for (const match of text.matchAll(PLACEHOLDER)) {
    const placeholder = parseName(match[1] ?? '');
    if (placeholder) found.push(placeholder);
  }
  return found;
}

/** The distinct names a template needs (`firstname`, `deal.dealname`), in order of first use. */
export function templateProperties(text: string): string[] {
  return [...new Set(parsePlaceholders(text).map((p) => p.name))];
}

/**
 * Describes each malformed placeholder: a `{{` that is never closed, a stray
 * `}}`, or braces around something that is not a property name. An empty
 * list means the template is well-formed.
 */
export function malformedPlaceholders(text: string): string[] {
  const problems: string[] = [];
  for (const match of text.matchAll(PLACEHOLDER)) {
    const inner = match[1] ?? '';
    if (!parseName(inner)) problems.push(`{{${inner}}} is not a property name (use {{name}} or {{scope.name}})`);
  }
  const rest = text.replace(PLACEHOLDER, '');
  if (rest.includes('{{')) problems.push('"{{" is never closed with "}}"');
  if (rest.includes('}}')) problems.push('"}}" has no opening "{{"');
  return problems;
}

/**
 * Renders `text`, replacing each placeholder with what `resolve` returns.
 * Placeholders without a value (and malformed ones) render as empty text;
 * the names without a value are reported in `missing`.
 */
export function renderTemplate(text: string, resolve: PlaceholderResolver): RenderedTemplate {
  const missing = new Set<string>();
  const rendered = text.replace(PLACEHOLDER, (_whole, inner: string) => {
    const placeholder = parseName(inner);
    if (!placeholder) return '';
    const value = resolve(placeholder);
    if (value === undefined) {
      missing.add(placeholder.name);
      return '';
    }
    return value;
  });
  return { text: rendered, missing: [...missing] };
}
