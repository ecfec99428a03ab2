import { wholeNumber } from '../domain/counted.js';
import { InputError } from '../domain/errors.js';
import { auc } from '../model/evaluation/metrics.js';
import { MISSING, SMOOTHING } from './categorical-encoding.js';
import { PHONE_NUMBER, isRecordIdHeader, looksLikePhoneNumber, personalIdentifierKind } from './identifier-columns.js';
import type { DatasetOptions } from './options.js';
import { postCloseLeakReason, postCloseTrainingRows } from './post-close-rows.js';
import type { Dataset, TypedColumn } from './types.js';

export interface Exclusion {
  column: string;
  reason: string;
  /**
   * Empty or constant on the rows checked: a fact about those rows, not the column (a field
   * first filled in last year), so a fit on other rows checks it again rather than inherit it.
   */
  onlyOnTheseRows?: true;
}

export interface LeakageVerdict {
  /** Columns that may be used as model inputs, in dataset order. */
  kept: string[];
  excluded: Exclusion[];
  /** max(AUC, 1 - AUC) of each column measured alone on the training rows. */
  singleFeatureAuc: Record<string, number>;
}

/** A categorical with at least this share of distinct values among its present ones names leads, not kinds of lead. */
const IDENTIFIER_DISTINCT_SHARE = 0.8;
const IDENTIFIER_MIN_DISTINCT = 20;
const FOLDS = 5;

/**
 * Decides which columns may be inputs, looking at training rows only. Excluded, each with its
 * reason: columns the user excluded, columns config marks as filled after the outcome,
 * personal identifiers (phone ones only when their values are phone numbers) and record ids by their header, record ids by their values (unique per
 * lead), identifier-like categoricals, constants, and any column that on its own ranks converters
 * above non-converters too well to be real (single-feature AUC above `leakageAucBound`):
 * on lead data that is almost always a field written once the outcome was known. With
 * `postCloseRows` (rows whose values were read after their outcome), a column under the bound is
 * measured again on those training rows alone: a field filled in only on won leads hides behind
 * rows where it was not filled yet (see post-close-rows.ts).
 */
export function guardLeakage(
  dataset: Dataset,
  rows: ArrayLike<number>,
  y: ArrayLike<number>,
  candidates: readonly string[],
  options: Pick<DatasetOptions, 'exclude' | 'filledAfterOutcome' | 'leakageAucBound'> &
    Partial<Pick<DatasetOptions, 'types'>> & { postCloseRows?: ReadonlySet<number> },
): LeakageVerdict {
  const names = dataset.columns.map((c) => c.name);
  for (const column of options.exclude) {
    if (!names.includes(column)) {
      throw new InputError(`Cannot exclude "${column}": there is no such column. Columns are: ${names.join(', ')}`);
    }
  }
  const userExcluded = new Set(options.exclude);
  const afterOutcome = new Set(options.filledAfterOutcome.map((c) => c.toLowerCase()));
  const kept: string[] = [];
  const excluded: Exclusion[] = [];
  const singleFeatureAuc: Record<string, number> = {};
  const yTrain = Uint8Array.from({ length: rows.length }, (_, i) => (y[rows[i]] ? 1 : 0));
  const postClose = postCloseTrainingRows(rows, y, options.postCloseRows);
  const bound = options.leakageAucBound;

  for (const column of dataset.columns) {
    if (!candidates.includes(column.name)) continue;
    const exclude = (reason: string, onlyOnTheseRows?: true) => excluded.push({ column: column.name, reason, ...(onlyOnTheseRows && { onlyOnTheseRows }) });
    if (userExcluded.has(column.name)) {
      exclude('excluded by the user (--exclude or features.exclude)');
      continue;
    }
    if (afterOutcome.has(column.name.toLowerCase())) {
      exclude('filled in after the outcome (features.filledAfterOutcome): would leak the answer into training');
      continue;
    }
    const byHeader = identifierByHeader(column, rows);
    if (byHeader) {
      exclude(byHeader);
      continue;
    }
    const present = presentValues(column, rows);
    // Missing counts as a value: a date filled in only for won deals is one value plus gaps.
    const hasMissing = present.count < rows.length;
    if (present.distinct + (hasMissing ? 1 : 0) <= 1) {
      exclude(present.distinct === 0 ? 'empty on every training row' : 'has the same value on every training row: nothing to learn', true);
      continue;
    }
    // A column the user typed in features.types is theirs to judge: its values do not exclude it.
    if (!options.types?.[column.name] && isUniquePerLead(column, rows, present)) {
      exclude(
        `record identifier: unique per lead (${wholeNumber(present.distinct)} different values on ${wholeNumber(rows.length)} training rows), ` +
          'so it names leads rather than describes them',
      );
      continue;
    }
    if (
      column.type === 'categorical' &&
      present.distinct >= IDENTIFIER_MIN_DISTINCT &&
      present.distinct >= IDENTIFIER_DISTINCT_SHARE * present.count
    ) {
      exclude(
        `identifier-like: ${wholeNumber(present.distinct)} different values on ${wholeNumber(present.count)} training rows ` +
          'name individual leads rather than describe them',
      );
      continue;
    }
    const a = singleColumnAuc(column, rows, yTrain);
    singleFeatureAuc[column.name] = a;
    if (a > bound) {
      exclude(`single-feature AUC ${figure(a, bound)} > ${bound.toFixed(2)}: separates the outcome almost perfectly, likely filled in after it`);
      continue;
    }
    const afterClose = postClose ? singleColumnAuc(column, postClose.rows, postClose.y) : 0;
    if (afterClose > bound) {
      exclude(postCloseLeakReason(figure(afterClose, bound), figure(a, bound), bound.toFixed(2), postClose!));
      continue;
    }
    kept.push(column.name);
  }
  return { kept, excluded, singleFeatureAuc };
}

/**
 * How well one column alone ranks the outcome, as max(AUC, 1 - AUC). Missing values are a
 * value too (a date filled only for won deals is a leak), tried at both ends of the range.
 * Categoricals are scored by their out-of-fold smoothed conversion rate, so a category's own
 * rows never vote for it and a many-valued column is not rewarded for memorising.
 */
export function singleColumnAuc(column: TypedColumn, rows: ArrayLike<number>, y: Uint8Array): number {
  if (column.type === 'categorical') return separation(auc(y, outOfFoldRates(column.values, rows, y)));
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  const values = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const v = column.values[rows[i]];
    values[i] = v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (!values.some(Number.isNaN)) return separation(auc(y, values));
  const low = values.map((v) => (Number.isNaN(v) ? min - 1 : v));
  const high = values.map((v) => (Number.isNaN(v) ? max + 1 : v));
  return Math.max(separation(auc(y, low)), separation(auc(y, high)));
}

function outOfFoldRates(values: readonly (string | null)[], rows: ArrayLike<number>, y: Uint8Array): Float64Array {
  const fold = (i: number) => i % FOLDS;
  const stats = Array.from({ length: FOLDS }, () => new Map<string, { n: number; pos: number }>());
  const totals = new Map<string, { n: number; pos: number }>();
  const foldPositives = new Float64Array(FOLDS);
  const foldRows = new Float64Array(FOLDS);
  for (let i = 0; i < rows.length; i++) {
    const key = values[rows[i]] ?? MISSING;
    for (const map of [stats[fold(i)], totals]) {
      const s = map.get(key) ?? { n: 0, pos: 0 };
      s.n++;
      s.pos += y[i];
      map.set(key, s);
    }
    foldPositives[fold(i)] += y[i];
    foldRows[fold(i)]++;
  }
  const allPositives = foldPositives.reduce((a, b) => a + b, 0);
  const out = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const key = values[rows[i]] ?? MISSING;
    const f = fold(i);
    const total = totals.get(key)!;
    const own = stats[f].get(key)!;
    const n = total.n - own.n;
    const pos = total.pos - own.pos;
    const prior = (allPositives - foldPositives[f]) / Math.max(1, rows.length - foldRows[f]);
    out[i] = (pos + SMOOTHING * prior) / (n + SMOOTHING);
  }
  return out;
}

/** The reason a column's header keeps it out, or null. */
function identifierByHeader(column: TypedColumn, rows: ArrayLike<number>): string | null {
  // A yes/no column ("Mobile", "Has email") says whether, not who.
  let personal = column.type === 'boolean' ? null : personalIdentifierKind(column.name);
  // "Phone" or "Mobile" holding "cellular"/"landline" is a contact type, not a number.
  if (personal === PHONE_NUMBER && !mostlyPhoneNumbers(column, rows)) personal = null;
  if (personal) return `personal identifier: ${personal}, which says nothing about buying intent but can stand in for gender or origin`;
  if (isRecordIdHeader(column.name)) return 'record identifier: its header names a record id, which names leads rather than describes them';
  return null;
}

/** At least half the present training values are phone numbers; true when none is present (nothing to tell it apart by). */
function mostlyPhoneNumbers(column: TypedColumn, rows: ArrayLike<number>): boolean {
  let present = 0;
  let phones = 0;
  for (let i = 0; i < rows.length; i++) {
    const v = column.values[rows[i]];
    if (v === null || (typeof v === 'number' && Number.isNaN(v))) continue;
    present++;
    // A number column of phone numbers ("5551234567" read as numeric) holds whole numbers of 7-15 digits.
    const text = typeof v === 'number' ? (Number.isInteger(v) && v >= 0 ? String(v) : '') : v;
    if (looksLikePhoneNumber(text)) phones++;
  }
  return present === 0 || phones >= present / 2;
}

/**
 * A value on every row and no two alike, as whole numbers that count up (or down) with time (a CRM
 * record id) or as opaque text without spaces ("00Q5e00000AbCdE"); free text unique per row is
 * left to the identifier-like rule.
 */
function isUniquePerLead(column: TypedColumn, rows: ArrayLike<number>, present: { count: number; distinct: number }): boolean {
  if (present.count < IDENTIFIER_MIN_DISTINCT || present.count !== rows.length || present.distinct !== present.count) return false;
  if (column.type === 'numeric') {
    for (let i = 0; i < rows.length; i++) if (!Number.isInteger(column.values[rows[i]])) return false;
    // Unique whole numbers alone are common in real inputs (a balance or revenue in whole units on
    // a few hundred leads); a record id is also handed out in creation order, so it runs with time.
    return runsWithRowOrder(column.values as ArrayLike<number>, rows);
  }
  if (column.type !== 'categorical') return false;
  const texts = Array.from(rows, (r) => column.values[r] as string);
  if (texts.some((t) => /\s/.test(t))) return false;
  // Digits kept as text (a CRM property typed as text): judged as the numbers they are.
  if (texts.every((t) => /^-?\d+$/.test(t))) return runsWithRowOrder(texts.map(Number), Array.from(texts.keys()));
  return true;
}

/** Share of consecutive training rows (time order) whose values step the same way, at least this: a counter. */
const COUNTER_STEP_SHARE = 0.95;

function runsWithRowOrder(values: ArrayLike<number>, rows: ArrayLike<number>): boolean {
  let up = 0;
  for (let i = 1; i < rows.length; i++) if (values[rows[i]] > values[rows[i - 1]]) up++;
  const steps = rows.length - 1;
  return up >= COUNTER_STEP_SHARE * steps || steps - up >= COUNTER_STEP_SHARE * steps;
}

function presentValues(column: TypedColumn, rows: ArrayLike<number>): { count: number; distinct: number } {
  const seen = new Set<string | number>();
  let count = 0;
  for (let i = 0; i < rows.length; i++) {
    const v = column.values[rows[i]];
    if (v === null || (typeof v === 'number' && Number.isNaN(v))) continue;
    count++;
    seen.add(v);
  }
  return { count, distinct: seen.size };
}

function separation(a: number): number {
  return Number.isNaN(a) ? 0.5 : Math.max(a, 1 - a);
}

/** Two decimals, or three when two would print the bound itself ("0.90 > 0.90"). */
function figure(a: number, bound: number): string {
  return a.toFixed(2) === bound.toFixed(2) ? a.toFixed(3) : a.toFixed(2);
}

