import type { Exclusion } from './leakage.js';

/**
 * Exclusions decided earlier in the same training run, then those of a later check for columns
 * the earlier ones do not name. Later fits see other rows (every lead, or the older part the
 * calibrator trains on), where a leak can measure under the bound; carrying the earlier verdict
 * keeps the model in service from using a column its measurement was made without.
 * Ordered as `columnOrder` (the dataset's columns), names it does not hold last.
 */
export function unionOfExclusions(earlier: readonly Exclusion[], later: readonly Exclusion[], columnOrder: readonly string[]): Exclusion[] {
  const named = new Set(earlier.map((e) => e.column));
  const union = [...earlier, ...later.filter((e) => !named.has(e.column))];
  const position = (column: string) => {
    const i = columnOrder.indexOf(column);
    return i < 0 ? columnOrder.length : i;
  };
  return union.map((e, i) => ({ e, i })).sort((a, b) => position(a.e.column) - position(b.e.column) || a.i - b.i).map(({ e }) => e);
}

/**
 * The exclusions a later fit of the same run inherits: verdicts on the column (a leak, a field
 * filled after the outcome, an identifier, the user's), not a column merely empty or constant on
 * the rows checked. Inheriting those would drop fields that only started being filled recently
 * (on the bank data: previous campaigns' outcome, absent from the oldest leads).
 */
export function carriedForward(excluded: readonly Exclusion[]): Exclusion[] {
  return excluded.filter((e) => !e.onlyOnTheseRows);
}

/** The exclusions of `later` for columns `earlier` does not name. */
export function exclusionsBeyond(later: readonly Exclusion[], earlier: readonly Exclusion[]): Exclusion[] {
  const named = new Set(earlier.map((e) => e.column));
  return later.filter((e) => !named.has(e.column));
}
