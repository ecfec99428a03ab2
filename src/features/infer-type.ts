import type { ColumnType } from './types.js';
import { parseBoolean } from './parse-boolean.js';
import { type DecimalMark, type DecimalMarkDecision, decimalMarkDecision } from './parse-number.js';
import { type DateOrder, inferDateOrder, parseDate } from './parse-date.js';

/** A column's inferred type with what was decided on the way, so reading the cells does not decide it again. */
export type ColumnReading =
  | { type: 'numeric'; decimal: DecimalMarkDecision }
  | { type: 'date'; dateOrder: DateOrder }
  | { type: Exclude<ColumnType, 'numeric' | 'date'> };

/**
 * The type a column's present values (trimmed, placeholders removed) all fit, tried from the
 * narrowest: boolean (at most two yes/no-like values), numeric (plain, or formatted with a
 * currency, thousands separators or a percent sign: see decimalMarkDecision; `fileMark` settles
 * a column that reads either way), date, else categorical. A column with no values at all is
 * categorical (nothing to learn either way).
 */
export function inferType(values: readonly string[], fileMark?: () => DecimalMark | undefined): ColumnReading {
  if (values.length === 0) return { type: 'categorical' };
  if (isBoolean(values)) return { type: 'boolean' };
  const decimal = decimalMarkDecision(values, fileMark);
  if (decimal !== null) return { type: 'numeric', decimal };
  const dateOrder = inferDateOrder(values);
  if (values.every((v) => !Number.isNaN(parseDate(v, dateOrder)))) return { type: 'date', dateOrder };
  return { type: 'categorical' };
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
