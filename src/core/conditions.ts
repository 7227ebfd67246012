/**
 * Conditions on a record's current properties (campaign `conditions:` and
 * recipient filters). Values compare trimmed and case-insensitively, like
 * placeholders; `exists` means "has a usable value" (not blank, not a
 * placeholder).
 */
import type { ConditionSpec } from '../config/schema.js';
import type { Props } from './variables.js';

export type ConditionResult = { ok: true } | { ok: false; reason: string };

function norm(value: string | null | undefined): string {
  return (value ?? '').trim().toLowerCase();
}

export function checkCondition(condition: ConditionSpec, props: Props, placeholders: readonly string[]): ConditionResult {
  const raw = props[condition.property];
  const value = norm(raw);
  const shown = raw === null || raw === undefined ? 'empty' : JSON.stringify(raw);
  const name = condition.property;
  if (condition.exists !== undefined) {
    const usable = value !== '' && !placeholders.map(norm).includes(value);
    if (usable === condition.exists) return { ok: true };
    return { ok: false, reason: condition.exists ? `${name} has no usable value (${shown})` : `${name} is set (${shown})` };
  }
  if (condition.equals !== undefined) {
    return value === norm(condition.equals) ? { ok: true } : { ok: false, reason: `${name} is ${shown}, not ${JSON.stringify(condition.equals)}` };
  }
  if (condition.notEquals !== undefined) {
    return value !== norm(condition.notEquals) ? { ok: true } : { ok: false, reason: `${name} is ${shown}` };
  }
  if (condition.in !== undefined) {
    return condition.in.map(norm).includes(value) ? { ok: true } : { ok: false, reason: `${name} is ${shown}, not one of ${condition.in.join(', ')}` };
  }
  if (condition.notIn !== undefined) {
    return condition.notIn.map(norm).includes(value) ? { ok: false, reason: `${name} is ${shown}` } : { ok: true };
  }
  return { ok: true };
}

/** The first failing condition's reason, or ok. */
export function checkConditions(conditions: readonly ConditionSpec[], props: Props, placeholders: readonly string[]): ConditionResult {
  for (const condition of conditions) {
    const result = checkCondition(condition, props, placeholders);
    if (!result.ok) return result;
  }
  return { ok: true };
}

export function conditionProperties(conditions: readonly ConditionSpec[]): string[] {
  return [...new Set(conditions.map((c) => c.property))].sort();
}
