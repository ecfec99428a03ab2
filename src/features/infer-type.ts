import type { ColumnType } from './types.js';
import { parseBoolean } from './parse-boolean.js';
import { type DecimalMark, decimalMarkOf } from './parse-number.js';
import { inferDateOrder, parseDate } from './parse-date.js';

/**
 * The type a column's present values (trimmed, placeholders removed) all fit, tried from the
 * narrowest: boolean (at most two yes/no-like values), numeric (plain, or formatted with a
 * currency, thousands separators or a percent sign: see decimalMarkOf; `fileMark` settles a
 * column that reads either way), date, else categorical. A column with no values at all is
 * categorical (nothing to learn either way).
 */
export function inferType(values: readonly string[], fileMark?: () => DecimalMark | undefined): ColumnType {
  if (values.length === 0) return 'categorical';
  if (isBoolean(values)) return 'boolean';
  if (decimalMarkOf(values, fileMark) !== null) return 'numeric';
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
