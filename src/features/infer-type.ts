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
 * a column that reads either way), date (allowing a few distinct values that are not: see
 * mostlyDates), else categorical. `values` are distinct. A column with no values at all is
 * categorical (nothing to learn either way).
 */
export function inferType(values: readonly string[], fileMark?: () => DecimalMark | undefined): ColumnReading {
  if (values.length === 0) return { type: 'categorical' };
  if (isBoolean(values)) return { type: 'boolean' };
  const decimal = decimalMarkDecision(values, fileMark);
  if (decimal !== null) return { type: 'numeric', decimal };
  const dateOrder = inferDateOrder(values);
  if (mostlyDates(values, dateOrder)) return { type: 'date', dateOrder };
  return { type: 'categorical' };
}

/**
 * A date column in which a few cells hold something else ("not yet", "31/02/2024") is still a
 * date column: read as text it would be one category per day and excluded as identifier-like,
 * losing the dates that are there. Those cells are read as missing and named in a warning
 * (see normaliseColumn's `unreadable`). A handful of distinct values must all be dates: "2024"
 * next to two words is not a date column.
 */
const MIN_DATES_BESIDE_OTHERS = 10;
const DATE_SHARE = 0.9;

function mostlyDates(values: readonly string[], order: DateOrder): boolean {
  let dates = 0;
  for (const v of values) if (!Number.isNaN(parseDate(v, order))) dates++;
  if (dates === values.length) return true;
  return dates >= MIN_DATES_BESIDE_OTHERS && dates >= DATE_SHARE * values.length;
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
