/**
 * The nesting limit for JSON that enters from outside (SPEC: a body nested
 * deeper than 64 levels is malformed, 400). Checked on the raw text, before
 * anything recursive (hashing, canonical JSON, `JSON.stringify`, schema
 * checks) touches it: 5,000 levels overflow the stack of those and turn a
 * bad request into a 500. Both checks here are loops, never recursion.
 */

export const MAX_JSON_DEPTH = 64;

export const TOO_DEEP_MESSAGE = `JSON nested deeper than ${MAX_JSON_DEPTH} levels`;

/**
 * True when `text`, read as JSON, opens more than `max` arrays/objects at
 * once. Brackets inside strings do not count. `{}` and `[]` are depth 1; a
 * bare scalar is depth 0. Invalid JSON is scanned the same way (the parser
 * refuses it afterwards anyway).
 */
export function jsonTextTooDeep(text: string, max = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      depth++;
      if (depth > max) return true;
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) {
      depth = Math.max(0, depth - 1);
    }
  }
  return false;
}

/** True when a parsed value (JSON or YAML) nests arrays/objects more than `max` levels deep. */
export function valueTooDeep(value: unknown, max = MAX_JSON_DEPTH): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  // Deepest level each node was reached at: YAML aliases share nodes (and may loop).
  const reached = new Map<object, number>();
  while (stack.length > 0) {
    const [current, depth] = stack.pop() as [unknown, number];
    if (typeof current !== 'object' || current === null) continue;
    if (depth + 1 > max) return true;
    if ((reached.get(current) ?? -1) >= depth) continue;
    reached.set(current, depth);
    for (const child of Array.isArray(current) ? current : Object.values(current)) stack.push([child, depth + 1]);
  }
  return false;
}

export const NUL_MESSAGE = 'JSON strings must not contain NUL characters (\\u0000)';

/**
 * True when a string or key anywhere in `value` holds U+0000. PostgreSQL text
 * cannot store it (the insert fails), so such input is refused as malformed on
 * every database alike. Call after the depth check (this walk is a loop).
 */
export function valueHasNul(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const current = stack.pop();
    if (typeof current === 'string') {
      if (current.includes('\u0000')) return true;
    } else if (Array.isArray(current)) {
      // One by one: spreading a 500,000-element array into push() overflows the stack.
      for (const child of current) stack.push(child);
    } else if (typeof current === 'object' && current !== null) {
      for (const [key, child] of Object.entries(current)) {
        if (key.includes('\u0000')) return true;
        stack.push(child);
      }
    }
  }
  return false;
}

export type InboundJson = { ok: true; value: unknown } | { ok: false; message: string };

/**
 * A request body read as JSON the safe way, for every place JSON enters: the
 * depth limit on the raw text first, then the parser, then the NUL check.
 * Refusals carry the message for the 400.
 */
export function parseInboundJson(text: string): InboundJson {
  if (jsonTextTooDeep(text)) return { ok: false, message: TOO_DEEP_MESSAGE };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, message: 'body is not valid JSON' };
  }
  if (valueHasNul(value)) return { ok: false, message: NUL_MESSAGE };
  return { ok: true, value };
}
