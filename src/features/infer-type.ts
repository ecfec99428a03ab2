import type { ColumnType } from './types.js';
import { parseBoolean } from './parse-boolean.js';
import { parseNumber } from './parse-number.js';
import { inferDateOrder, parseDate } from './parse-date.js';

/**
 * The type a column's present values (trimmed, placeholders removed) all fit, tried from the
 * narrowest: boolean (at most two yes/no-like values), numeric, date, else categorical. A
 * column with no values at all is categorical (nothing to learn either way).
 */
export function inferType(values: readonly string[]): ColumnType {
  if (values.length === 0) return 'categorical';
  if (isBoolean(values)) return 'boolean';
  if (values.every((v) => !Number.isNaN(parseNumber(v)))) return 'numeric';
  const order = inferDateOrder(values);
  if (values.every((v) => !Number.isNaN(parseDate(v, order)))) return 'date';
  return 'categorical';
}

function isBoolean(values: readonly string[]): boolean {
  const distinct = new Set<string>();
  for (const v of values) {
    const folded = v.toLowerCase();
    if (Number.isNaN(parseBoolean(folded))) return false;
    distinct.add(folded);
    if (distinct.size > 2) return false;
  }
  // "yes"/"no" together, or one of them alone; but not "1"/"yes" mixtures of two true spellings.
  const parsed = new Set([...distinct].map(parseBoolean));
  return parsed.size === distinct.size;
}
