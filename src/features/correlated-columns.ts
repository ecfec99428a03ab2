import type { TypedColumn } from './types.js';

/** Fewer rows with both values than this say nothing reliable about a correlation. */
const MIN_PAIRED_ROWS = 30;

/**
 * Columns that say the same thing on the training rows, linked transitively, each group listed in
 * column order; columns in no group are left out. Two numeric columns are linked when their values
 * correlate (|Pearson r| >= `threshold`); a numeric column and a categorical one when the numeric
 * column being filled in correlates as strongly with one of the categories (below).
 *
 * Why: a model shares the credit of near-duplicate columns between them, often with opposite
 * signs (on the bank data the Euribor rate, the employment variation rate and the number
 * employed correlate above 0.9, and the linear half weighs them +14 and -16 points on one lead).
 * A rep reading "+14 employment variation rate is low" and "-16 Euribor rate is low" side by
 * side learns nothing and stops trusting the reasons; one reason with their net effect is what
 * the model actually says.
 */
export function correlatedColumnGroups(columns: readonly TypedColumn[], rows: ArrayLike<number>, threshold: number): string[][] {
  const parent = columns.map((_, i) => i);
  const root = (i: number): number => (parent[i] === i ? i : (parent[i] = root(parent[i])));
  const link = (a: number, b: number) => (parent[root(b)] = root(a));
  const numeric = columns.flatMap((c, i) => (c.type === 'numeric' ? [{ i, values: c.values }] : []));
  for (let a = 0; a < numeric.length; a++) {
    for (let b = a + 1; b < numeric.length; b++) {
      if (Math.abs(pearson(numeric[a].values, numeric[b].values, rows)) >= threshold) link(numeric[a].i, numeric[b].i);
    }
  }
  // Being filled in can say what a category says. On the bank data "days since the previous
  // campaign call" is known for exactly the leads whose previous outcome is "success" (phi 0.98
  // on the training leads): the model splits that one fact's credit between the two, and a top
  // lead read "+27 Days since previous campaign call is 3" beside "-2 Previous campaign outcome
  // is success". Presence and a category are 0/1 indicators; their Pearson r (phi) is judged by
  // the same threshold.
  const presences = numeric.filter(({ values }) => presentCount(values, rows) !== null);
  columns.forEach((c, j) => {
    if (c.type !== 'categorical') return;
    for (const { i, values } of presences) if (presenceMatchesALevel(values, c.values, rows, threshold)) link(i, j);
  });
  const groups = new Map<number, string[]>();
  columns.forEach((c, i) => groups.set(root(i), [...(groups.get(root(i)) ?? []), c.name]));
  return [...groups.values()].filter((g) => g.length > 1);
}

/** How many of `rows` hold a value; null when nearly all or nearly none do (nothing to learn from). */
function presentCount(values: Float64Array, rows: ArrayLike<number>): number | null {
  let present = 0;
  for (let k = 0; k < rows.length; k++) if (!Number.isNaN(values[rows[k]])) present++;
  return present < MIN_PAIRED_ROWS || rows.length - present < MIN_PAIRED_ROWS ? null : present;
}

/**
 * Whether "the number is filled in" and "the category is V" correlate at |phi| >= `threshold` for
 * some value V held by enough rows: phi from the 2x2 counts, one pass over the rows per pair of
 * columns.
 */
function presenceMatchesALevel(numbers: Float64Array, categories: readonly (string | null)[], rows: ArrayLike<number>, threshold: number): boolean {
  const n = rows.length;
  const levels = new Map<string | null, { count: number; present: number }>();
  let present = 0;
  for (let k = 0; k < n; k++) {
    const r = rows[k];
    const isPresent = Number.isNaN(numbers[r]) ? 0 : 1;
    present += isPresent;
    const level = levels.get(categories[r]) ?? { count: 0, present: 0 };
    level.count++;
    level.present += isPresent;
    levels.set(categories[r], level);
  }
  for (const { count, present: both } of levels.values()) {
    if (count < MIN_PAIRED_ROWS || n - count < MIN_PAIRED_ROWS) continue;
    const phi = (n * both - present * count) / Math.sqrt(present * (n - present) * count * (n - count));
    if (Math.abs(phi) >= threshold) return true;
  }
  return false;
}

/** Pearson correlation over the rows where both values are present; NaN when undefined. */
export function pearson(x: Float64Array, y: Float64Array, rows: ArrayLike<number>): number {
  let n = 0, sx = 0, sy = 0;
  for (let i = 0; i < rows.length; i++) {
    const a = x[rows[i]], b = y[rows[i]];
    if (Number.isNaN(a) || Number.isNaN(b)) continue;
    n++;
    sx += a;
    sy += b;
  }
  if (n < MIN_PAIRED_ROWS) return NaN;
  const mx = sx / n, my = sy / n;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < rows.length; i++) {
    const a = x[rows[i]], b = y[rows[i]];
    if (Number.isNaN(a) || Number.isNaN(b)) continue;
    sxy += (a - mx) * (b - my);
    sxx += (a - mx) ** 2;
    syy += (b - my) ** 2;
  }
  return sxx === 0 || syy === 0 ? NaN : sxy / Math.sqrt(sxx * syy);
}
