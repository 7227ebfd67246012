/**
 * `backfill --filter`: conditions joined by commas (all must hold), each
 *
 *   prop=value   EQ          prop!=value  NEQ
 *   prop>value   GT          prop>=value  GTE
 *   prop<value   LT          prop<=value  LTE
 *   prop~        HAS_PROPERTY (has any value)
 *   prop!~       NOT_HAS_PROPERTY
 *
 * Values are taken as written (no quoting; a comma always separates conditions).
 */
import type { SearchFilter, SearchOperator } from '../hubspot/types.js';

export class FilterSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FilterSyntaxError';
  }
}

/** HubSpot allows 6 filters in a group; backfill keeps one for paging past 10,000 results. */
export const MAX_CONDITIONS = 5;

const OPERATORS: Record<string, SearchOperator> = {
  '=': 'EQ',
  '!=': 'NEQ',
  '>': 'GT',
  '>=': 'GTE',
  '<': 'LT',
  '<=': 'LTE',
  '~': 'HAS_PROPERTY',
  '!~': 'NOT_HAS_PROPERTY',
};

const CONDITION = /^([A-Za-z0-9_]+)\s*(!=|>=|<=|!~|=|>|<|~)(.*)$/;

export function parseFilter(text: string): SearchFilter[] {
  const parts = text.split(',').map((p) => p.trim());
  if (parts.every((p) => p === '')) throw new FilterSyntaxError('the filter is empty (e.g. lifecyclestage=customer)');
  const filters: SearchFilter[] = [];
  for (const part of parts) {
    if (part === '') throw new FilterSyntaxError(`empty condition in ${JSON.stringify(text)}`);
    const match = CONDITION.exec(part);
    if (!match) throw new FilterSyntaxError(`cannot read ${JSON.stringify(part)}: use prop=value, prop!=value, prop>value, prop<value or prop~`);
    const [, propertyName, symbol, rest] = match as unknown as [string, string, string, string];
    const operator = OPERATORS[symbol] as SearchOperator;
    const value = rest.trim();
    if (operator === 'HAS_PROPERTY' || operator === 'NOT_HAS_PROPERTY') {
      if (value !== '') throw new FilterSyntaxError(`${JSON.stringify(part)}: ${symbol} takes no value`);
      filters.push({ propertyName, operator });
      continue;
    }
    if (value === '') throw new FilterSyntaxError(`${JSON.stringify(part)} has no value (for "has no value" write ${propertyName}!~)`);
    filters.push({ propertyName, operator, value });
  }
  if (filters.length > MAX_CONDITIONS) throw new FilterSyntaxError(`at most ${MAX_CONDITIONS} conditions (got ${filters.length})`);
  return filters;
}
